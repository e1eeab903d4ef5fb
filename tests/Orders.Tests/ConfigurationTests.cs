using Microsoft.Extensions.Options;

namespace Platform.Orders.Tests;

/// <summary>Missing or unsafe trust settings stop the service at start instead of weakening validation.</summary>
[Collection(OrdersCollection.Name)]
public sealed class ConfigurationTests(OrdersFixture fixture)
{
    [Theory]
    [InlineData("Orders:Authority", null)]
    [InlineData("Orders:Authority", "not-a-url")]
    [InlineData("Orders:ClockSkew", "00:05:00")]
    [InlineData("Orders:MaxTokenLifetime", "1.00:00:00")]
    [InlineData("Orders:AutomaticRefreshInterval", "00:00:01")]
    [InlineData("Orders:Audience", " ")]
    [InlineData("Orders:MaxTokenLifetime", "00:00:00")]
    [InlineData("Orders:RefreshInterval", "00:00:00")]
    [InlineData("Orders:CatchUpAttempts", "0")]
    [InlineData("Orders:PurgeInterval", "00:00:00")]
    [InlineData("Orders:MaxEntries", "0")]
    [InlineData("Orders:HeartbeatInterval", "00:00:00")]
    [InlineData("Orders:HeartbeatInterval", "01:00:00")]
    public void Unsafe_or_missing_setting_fails_start(string key, string? value)
    {
        var settings = fixture.Settings();
        settings[key] = value;
        using var app = new OrdersApp(settings);

        var failure = Assert.ThrowsAny<Exception>(() => app.Server);
        Assert.IsType<OptionsValidationException>(failure.GetBaseException());
    }

    [Theory]
    [InlineData("ConnectionStrings:Orders", "ConnectionStrings:Orders (ConnectionStrings__Orders) is not set.")]
    [InlineData("ConnectionStrings:RabbitMq", "ConnectionStrings:RabbitMq (ConnectionStrings__RabbitMq) is not set: it must be an amqp://")]
    public void Missing_connection_string_fails_start_naming_the_setting(string key, string message)
    {
        var settings = fixture.Settings();
        settings[key] = null;
        using var app = new OrdersApp(settings);

        var failure = Assert.ThrowsAny<Exception>(() => app.Server);
        Assert.Contains(message, failure.ToString(), StringComparison.Ordinal);
    }
}
