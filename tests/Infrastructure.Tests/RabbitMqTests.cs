using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Infrastructure.Tests;

public sealed class RabbitMqTests
{
    [Fact]
    public async Task A_message_published_through_MassTransit_arrives_at_its_consumer()
    {
        await using var vhost = await TestVirtualHost.CreateAsync("infra");
        var received = new TaskCompletionSource<ProbeSent>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var provider = new ServiceCollection()
            .AddSingleton(received)
            .AddMassTransit(bus =>
            {
                bus.AddConsumer<ProbeConsumer>();
                bus.UsingRabbitMq((context, rabbit) =>
                {
                    rabbit.Host(vhost.AmqpUri);
                    rabbit.ConfigureEndpoints(context);
                });
            })
            .BuildServiceProvider();
        var bus = provider.GetRequiredService<IBusControl>();
        await bus.StartAsync(TestTimeout.Token(30));
        try
        {
            var probe = new ProbeSent(Guid.NewGuid());
            await bus.Publish(probe);
            var arrived = await received.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(probe.Id, arrived.Id);
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    public sealed record ProbeSent(Guid Id);

    public sealed class ProbeConsumer(TaskCompletionSource<ProbeSent> received) : IConsumer<ProbeSent>
    {
        public Task Consume(ConsumeContext<ProbeSent> context)
        {
            received.TrySetResult(context.Message);
            return Task.CompletedTask;
        }
    }
}
