using Microsoft.AspNetCore.Mvc;
using Platform.Identity.SharedSignals;

namespace Platform.Identity.Apis;

/// <summary>
/// A stream's status (SSF 1.0 §8.1.2), its verification (§8.1.4) and RFC 8936 poll delivery, mapped by
/// <see cref="SharedSignalsApi"/> under the same policy and the same rule: a client reaches only its own streams.
/// </summary>
public static class SharedSignalsDeliveryApi
{
    private const int MaxStateLength = 256;
    private static readonly string[] Statuses = ["enabled", "paused", "disabled"];

    public static async Task<Results<Ok<StreamStatus>, ProblemHttpResult>> GetStatus(
        [FromQuery(Name = "stream_id")] string? streamId, ClaimsPrincipal principal, IdentityDb db, CancellationToken cancellationToken)
    {
        var stream = await SharedSignalsApi.FindOwnAsync(db, principal, streamId, cancellationToken);
        return stream is null ? SharedSignalsApi.StreamNotFound() : TypedResults.Ok(StatusOf(stream));
    }

    /// <summary>Disabling drops the SETs waiting on the stream (SSF 1.0 §8.1.2: a disabled stream keeps none); pausing keeps them.</summary>
    public static async Task<Results<Ok<StreamStatus>, ValidationProblem, ProblemHttpResult>> UpdateStatus(
        StreamStatusRequest request, ClaimsPrincipal principal, IdentityDb db, SignalFanOut fanOut, CancellationToken cancellationToken)
    {
        if (request.Status is null || !Statuses.Contains(request.Status, StringComparer.Ordinal) || request.Reason is { Length: > SsfStreamConfig.MaxDescriptionLength })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["status"] = [$"'status' must be one of {string.Join(", ", Statuses)}; 'reason' at most {SsfStreamConfig.MaxDescriptionLength} characters."],
            });
        }

        var stream = await SharedSignalsApi.FindOwnAsync(db, principal, request.StreamId, cancellationToken);
        if (stream is null)
            return SharedSignalsApi.StreamNotFound();
        stream.Status = request.Status;
        stream.StatusReason = request.Reason;
        await db.SaveChangesAsync(cancellationToken);
        if (stream.Status == "disabled")
            await db.SsfDeliveries.Where(d => d.StreamId == stream.Id && d.DeliveredAt == null && d.FailedAt == null).ExecuteDeleteAsync(cancellationToken);
        else
            fanOut.Wake();
        return TypedResults.Ok(StatusOf(stream));
    }

    /// <summary>Queues a verification event for the stream, delivered as its other SETs are (pushed, or at the next poll).</summary>
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Verify(
        VerificationRequest request, ClaimsPrincipal principal, IdentityDb db, SignalFanOut fanOut, CancellationToken cancellationToken)
    {
        if (request.State is { Length: > MaxStateLength })
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["state"] = [$"'state' must be at most {MaxStateLength} characters."] });
        var stream = await SharedSignalsApi.FindOwnAsync(db, principal, request.StreamId, cancellationToken);
        if (stream is null)
            return SharedSignalsApi.StreamNotFound();
        fanOut.WriteFor(stream, SecurityEvent.Verification(stream.Id, request.State));
        await db.SaveChangesAsync(cancellationToken);
        fanOut.Wake();
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<PollResponse>, ProblemHttpResult>> Poll(
        Guid streamId, PollRequest request, ClaimsPrincipal principal, IdentityDb db, PollDelivery poll, CancellationToken cancellationToken)
    {
        var stream = await SharedSignalsApi.FindOwnAsync(db, principal, streamId.ToString(), cancellationToken);
        if (stream is null)
            return SharedSignalsApi.StreamNotFound();
        if (stream.DeliveryMethod != SsfEventTypes.Poll)
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Request", detail: "This stream delivers by push, not by poll.");
        return TypedResults.Ok(await poll.PollAsync(stream, request, cancellationToken));
    }

    private static StreamStatus StatusOf(SsfStreamConfig stream) =>
        new(stream.Id.ToString(), stream.Status, stream.StatusReason, stream.FailedDeliveries, stream.LastFailureAt, stream.LastError);
}

/// <summary>SSF 1.0 §8.1.2.2: the status a receiver sets, and why.</summary>
public sealed record StreamStatusRequest(
    [property: JsonPropertyName("stream_id")] string? StreamId,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("reason")] string? Reason);
