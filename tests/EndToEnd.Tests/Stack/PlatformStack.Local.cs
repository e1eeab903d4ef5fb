namespace Platform.EndToEnd.Tests.Stack;

/// <summary>
/// A local run: fresh databases, a fresh virtual host (or private servers) and the services as processes, Identity as
/// several instances on one database behind <see cref="IdentityFront"/>, whose address is <see cref="IdentityUrl"/>.
/// </summary>
public sealed partial class PlatformStack
{
    private async Task StartLocalAsync()
    {
        var identityDb = await Own(TestDatabase.CreateAsync("e2e_identity"));
        IdentityDatabase = identityDb.ConnectionString;
        var ordersDatabase = await CreateOrdersDatabaseAsync();
        var (identityBroker, ordersBroker) = await CreateBrokerAsync();
        OperatorEmail = $"operator-{Guid.NewGuid():N}@e2e.test";
        OperatorPassword = "Op-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var frontPort = ServiceProcess.FreeLoopbackPort();
        IdentityUrl = new Uri($"http://{IdentityFront.ProxyAddress}:{frontPort}/");
        var issuer = IdentityUrl.ToString().TrimEnd('/');
        var identityEnvironment = WithOptions(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__Identity"] = identityDb.ConnectionString,
            ["ConnectionStrings__RabbitMq"] = identityBroker.ToString(),
            // Every instance answers for the one address clients use, the front's.
            ["Identity__Issuer"] = issuer,
            ["Identity__KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Identity__BootstrapAdmin__Email"] = OperatorEmail,
            ["Identity__BootstrapAdmin__Password"] = OperatorPassword,
            ["Identity__Mail__Host"] = TestInfrastructure.Smtp.Host,
            ["Identity__Mail__Port"] = TestInfrastructure.Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Identity__Mail__Security"] = "None",
            ["Identity__Mail__From"] = "Platform <no-reply@e2e.test>",
            // The whole suite logs in from loopback; the attack tests set the real limits on stacks of their own.
            ["Identity__RateLimit__PasswordPermitLimit"] = "1000",
            // The front names the client; the instances count limits per the client it names.
            ["Identity__RateLimit__TrustedProxies__0"] = IdentityFront.ProxyAddress,
            // Shared Signals receivers in the suite listen on loopback over plain http.
            ["Identity__SharedSignals__AllowHttpEndpoints"] = "true",
        }, _options.IdentitySettings);

        var instances = new List<ServiceProcess>();
        for (var i = 1; i <= _options.IdentityInstances; i++)
        {
            // Each instance has a data directory of its own: nothing on disk is shared, as on separate machines.
            var dataDirectory = Directory.CreateTempSubdirectory($"platform-e2e-identity-{i}-");
            _owned.Add(new DeleteDirectory(dataDirectory));
            var port = ServiceProcess.FreeLoopbackPort();
            instances.Add(new ServiceProcess($"identity-{i}", ServiceDll("Identity"), port, new Dictionary<string, string>(identityEnvironment)
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["Identity__DataDirectory"] = dataDirectory.FullName,
            }));
        }

        Identity = new ServiceReplicas(instances);
        _owned.Add(Identity);
        await Identity.StartAsync();
        _owned.Add(await IdentityFront.StartAsync(frontPort, instances.Select(i => i.BaseAddress).ToList()));

        _ordersDll = ServiceDll("Orders");
        var ordersPort = ServiceProcess.FreeLoopbackPort();
        OrdersUrl = new Uri($"http://127.0.0.1:{ordersPort}/");
        OrdersUrls = [OrdersUrl];
        _ordersEnvironment = WithOptions(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__Orders"] = ordersDatabase,
            ["ConnectionStrings__RabbitMq"] = ordersBroker.ToString(),
            ["Orders__Authority"] = issuer,
            ["Orders__Audience"] = "orders",
        }, _options.OrdersSettings);
        Orders = new ServiceProcess("orders", _ordersDll, ordersPort,
            new Dictionary<string, string>(_ordersEnvironment) { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ordersPort}" });
        _owned.Add(Orders);
        await Orders.StartAsync();
    }

    private async Task<string> CreateOrdersDatabaseAsync()
    {
        if (!_options.PrivateOrdersDatabase)
            return (await Own(TestDatabase.CreateAsync("e2e_orders"))).ConnectionString;
        OrdersDatabaseServer = await Own(PrivatePostgres.StartAsync());
        await OrdersDatabaseServer.CreateDatabaseAsync("orders");
        return OrdersDatabaseServer.ConnectionString("orders");
    }

    /// <summary>
    /// On the shared broker each service connects as a user of its own with the grants deployments give it
    /// (deploy/rabbitmq/permissions.sh), so every scenario also proves the services need no more; observers use
    /// <see cref="BrokerUri"/>, an administrator's. A private node has only its default user.
    /// </summary>
    private async Task<(Uri Identity, Uri Orders)> CreateBrokerAsync()
    {
        if (_options.PrivateBroker)
        {
            Broker = await Own(PrivateRabbitMq.StartAsync());
            BrokerUri = Broker.AmqpUri;
            return (BrokerUri, BrokerUri);
        }

        var vhost = await Own(TestVirtualHost.CreateAsync("e2e"));
        BrokerUri = vhost.AmqpUri;
        return (await vhost.CreateServiceUserAsync("identity"), await vhost.CreateServiceUserAsync("orders"));
    }

    private Dictionary<string, string> WithOptions(Dictionary<string, string> environment, IReadOnlyDictionary<string, string> specific)
    {
        foreach (var (key, value) in _options.CommonSettings.Concat(specific))
            environment[key] = value;
        return environment;
    }

    private async Task<T> Own<T>(Task<T> creation) where T : IAsyncDisposable
    {
        var resource = await creation;
        _owned.Add(resource);
        return resource;
    }
}
