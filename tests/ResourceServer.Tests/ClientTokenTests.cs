using Microsoft.EntityFrameworkCore;
using Platform.ResourceServer.Storage;

namespace Platform.ResourceServer.Tests;

/// <summary>
/// A service client's token (client credentials) has no <c>sid</c> and no role; its <c>sub</c> is the client id and
/// <c>client_id</c> repeats it. Such a token passes, and <see cref="ClientDisabled"/> revokes it as a deactivation of
/// that subject, on the instance and in its table.
/// </summary>
[Collection(ResourceServerCollection.Name)]
public sealed class ClientTokenTests(ResourceServerFixture fixture)
{
    private TestTokenIssuer Issuer => fixture.Issuer;

    [Fact]
    public async Task A_client_token_without_sid_or_role_is_accepted()
    {
        var client = Guid.NewGuid();

        Assert.Equal(HttpStatusCode.OK, await RevocationFeedTests.Status(fixture.App, ClientToken(client)));
    }

    [Fact]
    public async Task A_token_without_sid_whose_client_id_is_not_its_sub_is_rejected()
    {
        var other = Issuer.Mint(Guid.NewGuid(), change: (_, claims) =>
        {
            claims["sid"] = null;
            claims["client_id"] = Guid.NewGuid().ToString();
        });
        var absent = Issuer.Mint(Guid.NewGuid(), change: (_, claims) => claims["sid"] = null);

        Assert.Equal(HttpStatusCode.Unauthorized, await RevocationFeedTests.Status(fixture.App, other));
        Assert.Equal(HttpStatusCode.Unauthorized, await RevocationFeedTests.Status(fixture.App, absent));
    }

    [Fact]
    public async Task ClientDisabled_rejects_the_clients_older_tokens_and_is_stored()
    {
        var client = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        var token = ClientToken(client, now.AddMinutes(-1));
        var bystander = ClientToken(Guid.NewGuid(), now.AddMinutes(-1));
        Assert.Equal(HttpStatusCode.OK, await RevocationFeedTests.Status(fixture.App, token));

        await fixture.Identity.PublishAsync(new ClientDisabled(client, now));

        await Eventually.HoldsAsync(async () => await RevocationFeedTests.Status(fixture.App, token) == HttpStatusCode.Unauthorized,
            "the instance to reject the disabled client's token");
        Assert.Equal(HttpStatusCode.OK, await RevocationFeedTests.Status(fixture.App, bystander));
        await Eventually.HoldsAsync(async () =>
        {
            await using var scope = fixture.App.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<RevocationDbContext>().Revocations
                .AnyAsync(r => r.SubjectId == client && r.Kind == RevocationKinds.User);
        }, "the disabling to be stored as a revocation of the client's subject");
    }

    private string ClientToken(Guid client, DateTimeOffset? issuedAt = null) =>
        Issuer.Mint(client, change: (_, claims) =>
        {
            if (issuedAt is not null)
                claims["iat"] = issuedAt.Value.ToUnixTimeSeconds();
            claims["sid"] = null;
            claims["role"] = null;
            claims["client_id"] = client.ToString();
        });
}
