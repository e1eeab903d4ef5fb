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
}
