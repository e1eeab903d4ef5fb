using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Platform.Testing;

/// <summary>
/// Reads the mail the services sent from the development mail catcher (smtp4dev) over its HTTP API. Every test uses
/// addresses of its own, so it finds its mail by recipient among everyone else's.
/// </summary>
public sealed class MailCatcher(Uri api) : IDisposable
{
    /// <summary>The line of a reset mail that carries the code (Identity's ResetMail.CodePrefix).</summary>
    public const string ResetCodePrefix = "Reset code: ";

    private readonly HttpClient _http = new() { BaseAddress = api, Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>The catcher './platform test' started.</summary>
    public static MailCatcher Shared() => new(TestInfrastructure.MailApi);

    /// <summary>The mails delivered to <paramref name="recipient"/>, newest first.</summary>
    public async Task<IReadOnlyList<CaughtMail>> MailsToAsync(string recipient)
    {
        var page = await _http.GetFromJsonAsync<MessagePage>(
            $"api/messages?searchTerms={Uri.EscapeDataString(recipient)}&pageSize=500");
        return page!.Results.Where(m => m.To.Contains(recipient, StringComparer.OrdinalIgnoreCase)).ToList();
    }

    /// <summary>The decoded text body of a mail.</summary>
    public Task<string> PlainTextAsync(CaughtMail mail) => _http.GetStringAsync($"api/messages/{mail.Id}/plaintext");

    /// <summary>Waits until <paramref name="count"/> mails reached <paramref name="recipient"/> and returns them, newest first.</summary>
    public Task<IReadOnlyList<CaughtMail>> WaitForMailsAsync(string recipient, int count = 1, TimeSpan? timeout = null) =>
        Eventually.ValueAsync(() => MailsToAsync(recipient), mails => mails.Count >= count, $"{count} mail(s) to {recipient}", timeout, TimeSpan.FromMilliseconds(200));

    /// <summary>Waits for a reset mail to <paramref name="recipient"/> and returns the code it carries.</summary>
    public async Task<string> WaitForResetTokenAsync(string recipient, TimeSpan? timeout = null)
    {
        var mail = (await WaitForMailsAsync(recipient, 1, timeout))[0];
        return ResetToken(await PlainTextAsync(mail));
    }

    public static string ResetToken(string text) =>
        text.Split('\n').Select(line => line.TrimEnd('\r')).Single(line => line.StartsWith(ResetCodePrefix, StringComparison.Ordinal))[ResetCodePrefix.Length..];

    public void Dispose() => _http.Dispose();

    private sealed record MessagePage([property: JsonPropertyName("results")] List<CaughtMail> Results);
}

public sealed record CaughtMail(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("to")] string[] To,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("receivedDate")] DateTimeOffset ReceivedDate);
