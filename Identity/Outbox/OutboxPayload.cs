using System.Text.Json;

namespace Platform.Identity.Outbox;

/// <summary>Turns an outbox row back into the event it holds, for the dispatcher.</summary>
internal static class OutboxPayload
{
    /// <exception cref="OutboxPayloadException">The row names an unknown type or its payload is not that type.</exception>
    public static object Read(OutboxMessage row)
    {
        var type = row.Type switch
        {
            nameof(UserDeactivated) => typeof(UserDeactivated),
            nameof(SessionRevoked) => typeof(SessionRevoked),
            nameof(PasswordResetRequested) => typeof(PasswordResetRequested),
            nameof(SigningKeyRevoked) => typeof(SigningKeyRevoked),
            nameof(ClientDisabled) => typeof(ClientDisabled),
            _ => throw new OutboxPayloadException($"Unknown outbox message type '{row.Type}'."),
        };
        try
        {
            return JsonSerializer.Deserialize(row.Payload, type) ?? throw new OutboxPayloadException("The payload is empty.");
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException)
        {
            // The serializer's message can quote the payload, which may hold personal data; the type name is enough.
            throw new OutboxPayloadException($"The payload is not a readable {row.Type} ({exception.GetType().Name}).");
        }
    }
}

/// <summary>A row that can never be published as it stands; its message holds none of the payload.</summary>
internal sealed class OutboxPayloadException(string message) : Exception(message);
