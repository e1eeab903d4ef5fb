using MimeKit;

namespace Platform.Identity.Mail;

/// <summary>Refuses to start where reset mails could not be sent, unless mail is turned off explicitly.</summary>
internal sealed class MailOptionsValidator(IHostEnvironment environment) : IValidateOptions<MailOptions>
{
    public ValidateOptionsResult Validate(string? name, MailOptions options)
    {
        if (!options.Enabled)
            return ValidateOptionsResult.Success;
        var failures = new List<string>();
        // Development may run without a mail server; anywhere else a user asking for a reset would wait for nothing.
        if (string.IsNullOrWhiteSpace(options.Host) && !environment.IsDevelopment())
            failures.Add("Identity:Mail:Host (Identity__Mail__Host) must name the SMTP server outside Development, or reset mail be turned off with Identity:Mail:Enabled=false.");
        if (!string.IsNullOrWhiteSpace(options.Host))
        {
            if (options.Port is < 1 or > 65535)
                failures.Add("Identity:Mail:Port must be between 1 and 65535.");
            if (!MailboxAddress.TryParse(options.From, out _))
                failures.Add("Identity:Mail:From (Identity__Mail__From) must be the sender's address, e.g. 'Platform <no-reply@example.com>'.");
            if (string.IsNullOrEmpty(options.UserName) != string.IsNullOrEmpty(options.Password))
                failures.Add("Identity:Mail:UserName and Identity:Mail:Password are set together or not at all.");
        }

        if (!string.IsNullOrWhiteSpace(options.ResetUrl)
            && (!Uri.TryCreate(options.ResetUrl, UriKind.Absolute, out var url) || (url.Scheme != "https" && url.Scheme != "http") || url.Query.Length > 0))
            failures.Add("Identity:Mail:ResetUrl must be an absolute http(s) URL without a query.");
        if (options.RequestsPerAddress < 1 || options.RequestWindow <= TimeSpan.Zero)
            failures.Add("Identity:Mail:RequestsPerAddress and :RequestWindow must be positive.");
        if (options.MaxRetryDelay < TimeSpan.FromSeconds(1))
            failures.Add("Identity:Mail:MaxRetryDelay must be at least 00:00:01.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
