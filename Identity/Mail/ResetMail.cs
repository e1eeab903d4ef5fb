using MimeKit;

namespace Platform.Identity.Mail;

/// <summary>The reset mail: one plain-text part with the link (when a reset page is configured) and the code.</summary>
public static class ResetMail
{
    public const string Subject = "Reset your password";

    /// <summary>Marks the line carrying the code, for people pasting it and for tests reading it.</summary>
    public const string CodePrefix = "Reset code: ";

    public static MimeMessage Compose(MailOptions options, OutgoingMail mail, string token)
    {
        var message = new MimeMessage { Subject = Subject };
        message.From.Add(MailboxAddress.Parse(options.From));
        message.To.Add(MailboxAddress.Parse(mail.Recipient));
        var text = new System.Text.StringBuilder()
            .AppendLine("Someone asked to reset the password of your account. If it was not you, ignore this mail; nothing changes.")
            .AppendLine();
        if (!string.IsNullOrWhiteSpace(options.ResetUrl))
        {
            text.AppendLine("Choose a new password here:")
                .AppendLine($"{options.ResetUrl}?email={Uri.EscapeDataString(mail.Recipient)}&token={Uri.EscapeDataString(token)}")
                .AppendLine();
        }

        text.AppendLine(CodePrefix + token)
            .AppendLine()
            .AppendLine($"The code works once, until {mail.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC.");
        message.Body = new TextPart("plain") { Text = text.ToString() };
        return message;
    }
}
