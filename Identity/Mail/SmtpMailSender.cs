using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Platform.Identity.Mail;

/// <summary>Opens an SMTP connection with Identity:Mail's settings; one connection carries a batch of mails.</summary>
public sealed class SmtpMailSender(IOptions<MailOptions> options)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public async Task<Connection> ConnectAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(settings.Host!, settings.Port, Socket(settings.Security), cancellationToken);
            if (!string.IsNullOrEmpty(settings.UserName))
                await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", cancellationToken);
            return new Connection(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static SecureSocketOptions Socket(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };

    public sealed class Connection(SmtpClient client) : IAsyncDisposable
    {
        public Task SendAsync(MimeMessage message, CancellationToken cancellationToken) => client.SendAsync(message, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (client.IsConnected)
                    await client.DisconnectAsync(quit: true, CancellationToken.None);
            }
            catch (Exception exception) when (exception is IOException or ProtocolException or OperationCanceledException)
            {
                // The mails are already accepted; a connection that ends badly changes nothing about them.
            }
            finally
            {
                client.Dispose();
            }
        }
    }
}
