namespace Platform.Identity.Mail;

/// <summary>Identity:Mail — the SMTP server reset mails go through, and how often one address may be sent one.</summary>
public sealed class MailOptions
{
    public const string Section = "Identity:Mail";

    /// <summary>False turns reset mail off explicitly: forgot-password still answers 202 and writes no mail.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The SMTP server. Required outside Development unless <see cref="Enabled"/> is false.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender, e.g. <c>Platform &lt;no-reply@example.com&gt;</c>.</summary>
    public string From { get; set; } = "";

    /// <summary>
    /// The page a user opens to choose a new password; the mail links to it with <c>email</c> and <c>token</c> in
    /// the query. Without it the mail carries the reset code alone.
    /// </summary>
    public string? ResetUrl { get; set; }

    /// <summary>Reset requests per target address and window; more are answered alike and send nothing.</summary>
    public int RequestsPerAddress { get; set; } = 3;

    public TimeSpan RequestWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The longest wait between delivery attempts while the SMTP server fails.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether reset mails are written and sent: on, and a server to send them through.</summary>
    public bool Sends => Enabled && !string.IsNullOrWhiteSpace(Host);
}

public enum SmtpSecurity
{
    None,
    StartTls,
    SslOnConnect,
}
