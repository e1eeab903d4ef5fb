namespace Platform.Identity.Accounts;

/// <summary>Rejects passwords that appear on breach lists, whatever their length (NIST SP 800-63B).</summary>
public sealed class CommonPasswordValidator : IPasswordValidator<User>
{
    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "123456789012", "1234567890123", "12345678901234", "123456789123", "password1234", "password12345",
        "password123456", "passwordpassword", "qwertyuiopas", "qwertyuiop123", "qwerty123456", "1q2w3e4r5t6y",
        "iloveyou1234", "letmein12345", "welcome12345", "administrator", "adminadmin123", "changeme1234",
        "aaaaaaaaaaaa", "111111111111", "000000000000", "abcdefghijkl", "abcd1234abcd", "trustno1trustno1",
        "monkey123456", "football1234", "baseball1234", "superman1234", "princess1234", "sunshine1234",
        "p@ssw0rd1234", "passw0rd1234", "Password1234!", "correcthorsebatterystaple",
    };

    public Task<IdentityResult> ValidateAsync(UserManager<User> manager, User user, string? password)
    {
        if (password is not null && (Common.Contains(password) || password.Distinct().Count() < 4
            || (user.Email is { Length: > 0 } email && password.Contains(email.Split('@')[0], StringComparison.OrdinalIgnoreCase) && email.Split('@')[0].Length >= 4)))
        {
            return Task.FromResult(IdentityResult.Failed(new IdentityError
            {
                Code = "CommonPassword",
                Description = "This password is too common or too easy to guess; choose a longer passphrase.",
            }));
        }

        return Task.FromResult(IdentityResult.Success);
    }
}
