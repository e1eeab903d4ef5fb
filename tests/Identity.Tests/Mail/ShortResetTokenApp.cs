namespace Platform.Identity.Tests.Mail;

/// <summary>Identity whose reset tokens expire after two seconds, so a test can hold an expired but genuine one.</summary>
public sealed class ShortResetTokenApp : IdentityApp
{
    public static readonly TimeSpan TokenLifespan = TimeSpan.FromSeconds(2);

    protected override void Configure(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services => services.Configure<Microsoft.AspNetCore.Identity.DataProtectionTokenProviderOptions>(tokens => tokens.TokenLifespan = TokenLifespan));
}
