using System.Text.Json.Serialization;

namespace Platform.Identity.SharedSignals;

/// <summary>SSF 1.0 §8.1.1 <c>delivery</c>: how SETs reach the receiver.</summary>
public sealed record StreamDelivery(
    [property: JsonPropertyName("method")] string? Method,
    [property: JsonPropertyName("endpoint_url")] string? EndpointUrl,
    [property: JsonPropertyName("authorization_header")] string? AuthorizationHeader = null);

/// <summary>What a receiver sends to create, update or replace a stream (SSF 1.0 §8.1.1).</summary>
public sealed record StreamConfigurationRequest(
    [property: JsonPropertyName("stream_id")] string? StreamId,
    [property: JsonPropertyName("delivery")] StreamDelivery? Delivery,
    [property: JsonPropertyName("events_requested")] string?[]? EventsRequested,
    [property: JsonPropertyName("description")] string? Description);

/// <summary>A stream's configuration as the transmitter answers it (SSF 1.0 §8.1.1).</summary>
public sealed record StreamConfiguration(
    [property: JsonPropertyName("stream_id")] string StreamId,
    [property: JsonPropertyName("iss")] string Issuer,
    [property: JsonPropertyName("aud")] string Audience,
    [property: JsonPropertyName("events_supported")] string[] EventsSupported,
    [property: JsonPropertyName("events_requested")] string[] EventsRequested,
    [property: JsonPropertyName("events_delivered")] string[] EventsDelivered,
    [property: JsonPropertyName("delivery")] StreamDelivery Delivery,
    [property: JsonPropertyName("description")] string? Description);

/// <summary>SSF 1.0 §8.1.2: a stream's status, with what Identity adds about SETs it gave up on.</summary>
public sealed record StreamStatus(
    [property: JsonPropertyName("stream_id")] string StreamId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("failed_deliveries")] int? FailedDeliveries = null,
    [property: JsonPropertyName("last_failure_at")] DateTimeOffset? LastFailureAt = null,
    [property: JsonPropertyName("last_error")] string? LastError = null);

/// <summary>SSF 1.0 §8.1.4.2: a receiver asks for a verification event, echoing <c>state</c>.</summary>
public sealed record VerificationRequest(
    [property: JsonPropertyName("stream_id")] string? StreamId,
    [property: JsonPropertyName("state")] string? State);

/// <summary>RFC 8936 §2.4 error for one SET the receiver could not accept.</summary>
public sealed record SetError(
    [property: JsonPropertyName("err")] string? Err,
    [property: JsonPropertyName("description")] string? Description);

/// <summary>RFC 8936 §2.2–2.4: acknowledgements and errors for earlier SETs, and how many new ones to return.</summary>
public sealed record PollRequest(
    [property: JsonPropertyName("ack")] string?[]? Ack,
    [property: JsonPropertyName("setErrs")] Dictionary<string, SetError?>? SetErrs,
    [property: JsonPropertyName("maxEvents")] int? MaxEvents,
    [property: JsonPropertyName("returnImmediately")] bool? ReturnImmediately);

/// <summary>RFC 8936 §2.5: SETs by <c>jti</c>, and whether more wait.</summary>
public sealed record PollResponse(
    [property: JsonPropertyName("sets")] Dictionary<string, string> Sets,
    [property: JsonPropertyName("moreAvailable")] bool MoreAvailable);
