using System.Net;
using System.Net.Http.Headers;

namespace Platform.Testing;

public static class HttpClientExtensions
{
    /// <summary>The client, sending <paramref name="token"/> as its bearer token from now on.</summary>
    public static HttpClient WithBearer(this HttpClient client, string token)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200, as a load balancer would before sending traffic.</summary>
    public static async Task WaitUntilReadyAsync(this HttpClient client, string service, int seconds = 30)
    {
        ArgumentNullException.ThrowIfNull(client);
        var last = "";
        await Eventually.HoldsAsync(async () =>
        {
            using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            last = await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.OK;
        }, () => service + " to become ready; last answer: " + last, TimeSpan.FromSeconds(seconds), TimeSpan.FromMilliseconds(100));
    }
}
