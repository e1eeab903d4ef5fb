using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Platform.ResourceServer.Tokens;

/// <summary>
/// RFC 9068 §4 allows <c>typ</c> as <c>at+jwt</c> or <c>application/at+jwt</c>, in any case; IdentityModel's
/// <c>ValidTypes</c> compares exactly, so a conforming issuer's token would be refused. Applied after the base
/// set-up so it only widens the type check to what the RFC names, nothing else.
/// </summary>
internal sealed class AccessTokenTypeValidation : IPostConfigureOptions<JwtBearerOptions>
{
    public void PostConfigure(string? name, JwtBearerOptions options)
    {
        if (name != JwtBearerDefaults.AuthenticationScheme)
            return;

        options.TokenValidationParameters.TypeValidator = (type, _, _) => TokenShape.IsAccessTokenType(type)
            ? type
            : throw new SecurityTokenInvalidTypeException("The token is not an access token.");
    }
}
