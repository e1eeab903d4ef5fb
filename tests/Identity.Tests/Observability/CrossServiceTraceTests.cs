using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;

namespace Platform.Identity.Tests.Observability;

/// <summary>
/// One trace from the operator's deactivate call, through the outbox (dispatched later on another thread) and
/// RabbitMQ, to a consumer on the broker standing in for a resource server instance.
/// </summary>
public sealed class CrossServiceTraceTests(TracedIdentityApp app) : IClassFixture<TracedIdentityApp>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task The_consumer_of_UserDeactivated_runs_in_the_trace_of_the_deactivate_request()
    {
        var consumed = new ConcurrentDictionary<Guid, ActivityTraceId>();
        var consumer = await StartConsumerAsync(app.VirtualHost.AmqpUri, consumed);
        try
        {
            var admin = (await _client.LoginAdminAsync()).AccessToken;
            var user = await _client.SignUpAsync(IdentityClient.NewEmail());

            var response = await _client.SendAsync(HttpMethod.Post, $"/admin/users/{user.Id}/deactivate", admin);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

            var consumerTrace = await Eventually.FoundValueAsync(
                () => consumed.TryGetValue(user.Id, out var trace) ? trace : (ActivityTraceId?)null, "the consumer to see the event", Wait);
            var request = await Eventually.FoundAsync(() => app.Spans.Snapshot().SingleOrDefault(span =>
                span.Kind == ActivityKind.Server
                && Equals(span.GetTagItem("http.route"), "/admin/users/{id:guid}/deactivate")
                && span.GetTagItem("url.path") is string path && path.Contains(user.Id.ToString(), StringComparison.Ordinal)),
                "the deactivate request's server span", Wait);
            Assert.Equal(request.TraceId, consumerTrace);

            // The hops in between are in the same trace: the dispatch restored from the outbox row, then the publish.
            var trace = app.Spans.Snapshot().Where(span => span.TraceId == request.TraceId).ToList();
            Assert.Contains(trace, span => span.Source.Name == "Platform.Identity" && span.DisplayName.Contains(nameof(UserDeactivated), StringComparison.Ordinal));
            Assert.Contains(trace, span => span.Source.Name == "MassTransit" && span.Kind == ActivityKind.Producer);
            Assert.Contains(trace, span => span.Source.Name == "MassTransit" && span.Kind == ActivityKind.Consumer);
        }
        finally
        {
            await consumer.StopAsync(TestTimeout.Token(30));
        }
    }

    private static async Task<IBusControl> StartConsumerAsync(Uri amqp, ConcurrentDictionary<Guid, ActivityTraceId> consumed)
    {
        var credentials = amqp.UserInfo.Split(':', 2);
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new UriBuilder(amqp) { UserName = "", Password = "" }.Uri, h =>
            {
                h.Username(Uri.UnescapeDataString(credentials[0]));
                h.Password(Uri.UnescapeDataString(credentials[1]));
            });
            rabbit.ReceiveEndpoint("identity-tests-trace-" + Guid.NewGuid().ToString("N"), endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;
                endpoint.Handler<UserDeactivated>(context =>
                {
                    // MassTransit's consume span is current here, as it is in a resource server's DenyListConsumer.
                    if (Activity.Current is { } current)
                        consumed[context.Message.UserId] = current.TraceId;
                    return Task.CompletedTask;
                });
            });
        });
        await bus.StartAsync(TestTimeout.Token(60));
        return bus;
    }
}
