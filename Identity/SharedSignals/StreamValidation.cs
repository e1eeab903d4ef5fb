namespace Platform.Identity.SharedSignals;

/// <summary>
/// Reads a stream request field by field into <paramref name="errors"/>-style problems: a push endpoint is an absolute
/// https URL (http only where <see cref="SharedSignalsOptions.AllowHttpEndpoints"/> allows it), and the delivered events
/// are the requested ones Identity supports.
/// </summary>
internal static class StreamValidation
{
    public const int MaxEventsRequested = 20;
    public const int MaxEventTypeLength = 256;

    /// <returns>The method and, for push, the endpoint; null when <paramref name="errors"/> got a reason.</returns>
    public static (string Method, string? Endpoint)? Delivery(StreamDelivery? delivery, bool allowHttp, Dictionary<string, string[]> errors)
    {
        if (delivery is null)
        {
            errors["delivery"] = ["'delivery' is required, with 'method' one of: " + string.Join(", ", SsfEventTypes.DeliveryMethods) + "."];
            return null;
        }

        if (delivery.AuthorizationHeader is not null)
        {
            errors["delivery.authorization_header"] = ["Not supported: each SET is signed, so a receiver authenticates it by its signature against the JWKS."];
            return null;
        }

        if (delivery.Method == SsfEventTypes.Poll)
            return (SsfEventTypes.Poll, null); // the poll URL is Identity's, assigned per stream
        if (delivery.Method != SsfEventTypes.Push)
        {
            errors["delivery.method"] = ["'delivery.method' must be one of: " + string.Join(", ", SsfEventTypes.DeliveryMethods) + "."];
            return null;
        }

        var url = delivery.EndpointUrl;
        var allowed = allowHttp ? "http or https" : "https";
        if (string.IsNullOrWhiteSpace(url) || url.Length > Data.SsfStreamConfig.MaxEndpointLength
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || (allowHttp && uri.Scheme == Uri.UriSchemeHttp))
            || uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            errors["delivery.endpoint_url"] = [$"'delivery.endpoint_url' must be an absolute {allowed} URL of at most {Data.SsfStreamConfig.MaxEndpointLength} characters, without user information or fragment."];
            return null;
        }

        return (SsfEventTypes.Push, uri.AbsoluteUri);
    }

    /// <returns>The distinct requested types, in the order given; null when <paramref name="errors"/> got a reason.</returns>
    public static string[]? EventsRequested(string?[]? requested, Dictionary<string, string[]> errors)
    {
        if (requested is null)
            return [];
        if (requested.Length > MaxEventsRequested || requested.Any(e => string.IsNullOrWhiteSpace(e) || e.Length > MaxEventTypeLength))
        {
            errors["events_requested"] = [$"'events_requested' must hold at most {MaxEventsRequested} event-type URIs of at most {MaxEventTypeLength} characters."];
            return null;
        }

        return [.. requested.Distinct(StringComparer.Ordinal)!];
    }

    public static string[] Delivered(string[] requested) => [.. requested.Where(e => SsfEventTypes.Supported.Contains(e, StringComparer.Ordinal))];

    public static string? Description(string? description, Dictionary<string, string[]> errors)
    {
        if (description is { Length: > Data.SsfStreamConfig.MaxDescriptionLength })
            errors["description"] = [$"'description' must be at most {Data.SsfStreamConfig.MaxDescriptionLength} characters."];
        return string.IsNullOrWhiteSpace(description) ? null : description.Trim();
    }

    /// <summary>A stream id as a receiver sends it; anything but a GUID names no stream.</summary>
    public static Guid? StreamId(string? value) => Guid.TryParse(value, out var id) ? id : null;
}
