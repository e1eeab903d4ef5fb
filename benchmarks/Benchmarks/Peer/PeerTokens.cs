using System.Diagnostics;
using Platform.Benchmarks.WholeSystem;

namespace Platform.Benchmarks.Peer;

/// <summary>
/// Access tokens from the real Identity, minted before the rounds: a few seeded users log in once each, then each
/// session refreshes in a chain (a refresh is a signature and a row, no password hash), every refresh a new token.
/// </summary>
public sealed class PeerTokens(PeerStack stack, PlatformClient client, string directory)
{
    private const int Sessions = 16;
    private string[] _refreshTokens = [];
    private int _files;

    /// <summary>Refreshes per second while minting, for the report.</summary>
    public double MintRate { get; private set; }

    public async Task LogInAsync()
    {
        var users = await UserSeed.SeedAsync(stack.IdentityDatabase, Sessions, "peer");
        _refreshTokens = new string[Sessions];
        for (var i = 0; i < Sessions; i++)
            _refreshTokens[i] = (await client.LogInAsync(users[i].Email, UserSeed.Password)).RefreshToken;
    }

    /// <summary>Writes <paramref name="count"/> never-used tokens as "token /ping" lines and returns the file.</summary>
    public async Task<string> MintFileAsync(int count)
    {
        var tokens = new string[count];
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForAsync(0, Sessions, async (session, _) =>
        {
            for (var i = session; i < count; i += Sessions)
            {
                var (token, refresh) = await client.RefreshAsync(_refreshTokens[session]);
                _refreshTokens[session] = refresh;
                tokens[i] = token;
            }
        });
        MintRate = count / Stopwatch.GetElapsedTime(started).TotalSeconds;
        var file = Path.Combine(directory, $"tokens-{_files++}.txt");
        await File.WriteAllLinesAsync(file, tokens.Select(token => token + " /ping"));
        return file;
    }

    /// <summary>The first <paramref name="count"/> lines of a file, as a file of their own.</summary>
    public async Task<string> HeadAsync(string file, int count)
    {
        var head = Path.Combine(directory, $"tokens-{_files++}.txt");
        await File.WriteAllLinesAsync(head, (await File.ReadAllLinesAsync(file)).Take(count));
        return head;
    }
}
