using Microsoft.Extensions.Configuration;
using Platform.ServiceDefaults.Messaging;

namespace Platform.Orders.Tests;

/// <summary>The one reading of <c>ConnectionStrings:RabbitMq</c> that Identity and every resource server share.</summary>
public sealed class RabbitMqConnectionTests
{
    [Theory]
    [InlineData("amqp://user:pw@broker:5673/orders", "broker", 5673, "orders", false)]
    [InlineData("amqp://user:pw@broker/", "broker", 5672, "/", false)]
    [InlineData("amqp://broker", "broker", 5672, "/", false)]
    [InlineData("amqps://user:pw@broker/%2Fshared", "broker", 5671, "/shared", true)]
    public void Host_port_virtual_host_and_tls_come_from_the_uri(string value, string host, int port, string virtualHost, bool tls)
    {
        Assert.True(RabbitMqConnection.TryParse(value, out var connection));

        Assert.Equal(host, connection.Host);
        Assert.Equal(port, connection.Port);
        Assert.Equal(virtualHost, connection.VirtualHost);
        Assert.Equal(tls, connection.UseTls);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("broker:5672")]
    [InlineData("http://user:s3cret-pw@broker:5672/")]
    [InlineData("amqp://user:s3cret-pw@broker:0/")]
    [InlineData("amqp://user:s3cret-pw@rabbit1:5672,,rabbit3:5672/")]
    [InlineData("amqp://user:s3cret-pw@rabbit1:5672,rabbit2:notaport/")]
    [InlineData("amqp://user:s3cret-pw@rabbit1:5672,rabbit2:0/")]
    [InlineData("amqp://user:s3cret-pw@rabbit1:5672,rabbit1:5672/")]
    [InlineData("amqp://user:s3cret-pw@rabbit1:5672,[::1]:5672/")]
    [InlineData("amqp://user:s3cret,pw/x@rabbit1/")]
    public void Anything_but_an_amqp_uri_refuses_to_start_naming_the_setting_and_not_the_password(string? value)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:RabbitMq"] = value })
            .Build();

        var error = Assert.Throws<InvalidOperationException>(() => RabbitMqConnection.FromConfiguration(configuration));

        Assert.Contains("ConnectionStrings:RabbitMq (ConnectionStrings__RabbitMq)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Credentials_are_unescaped_and_the_password_never_shows_in_its_text()
    {
        Assert.True(RabbitMqConnection.TryParse("amqp://orders%40svc:s3cret%3Apw@broker/orders", out var connection));

        Assert.Equal("orders@svc", connection.Username);
        Assert.Equal("amqp://broker:5672/orders", connection.ToString());
    }

    [Fact]
    public void A_cluster_lists_its_nodes_in_order_with_one_set_of_credentials_and_one_virtual_host()
    {
        Assert.True(RabbitMqConnection.TryParse("amqp://orders:s3cret%2Cpw@rabbit1:5672,rabbit2:5673,rabbit3/orders", out var connection));

        Assert.True(connection.IsCluster);
        Assert.Equal(
            [new RabbitMqNode("rabbit1", 5672), new RabbitMqNode("rabbit2", 5673), new RabbitMqNode("rabbit3", 5672)],
            connection.Nodes);
        Assert.Equal("rabbit1", connection.Host);
        Assert.Equal(5672, connection.Port);
        Assert.Equal("orders", connection.Username);
        Assert.Equal("orders", connection.VirtualHost);
        Assert.Equal("amqp://rabbit1:5672,rabbit2:5673,rabbit3:5672/orders", connection.ToString());
    }

    [Fact]
    public void A_cluster_over_tls_takes_the_tls_default_port_for_nodes_without_one()
    {
        Assert.True(RabbitMqConnection.TryParse("amqps://rabbit1,rabbit2:5999/", out var connection));

        Assert.True(connection.UseTls);
        Assert.Equal([new RabbitMqNode("rabbit1", 5671), new RabbitMqNode("rabbit2", 5999)], connection.Nodes);
        Assert.Equal("/", connection.VirtualHost);
        Assert.Null(connection.Username);
    }

    [Fact]
    public void One_node_is_no_cluster()
    {
        Assert.True(RabbitMqConnection.TryParse("amqp://user:pw@broker:5673/orders", out var connection));

        Assert.False(connection.IsCluster);
        Assert.Equal([new RabbitMqNode("broker", 5673)], connection.Nodes);
    }

    [Theory]
    [InlineData("amqp://user:s3cret-pw@rabbit1:5672,rabbit2:notaport/", "node 2 of 2")]
    [InlineData("amqp://user:s3cret-pw@rabbit1:5672,rabbit1:5672/", "node 2 of 2 twice")]
    [InlineData(null, "is not set")]
    [InlineData("http://user:s3cret-pw@broker/", "amqp://")]
    public void A_bad_node_list_says_which_node_is_wrong(string? value, string expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:RabbitMq"] = value })
            .Build();

        var error = Assert.Throws<InvalidOperationException>(() => RabbitMqConnection.FromConfiguration(configuration));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }
}
