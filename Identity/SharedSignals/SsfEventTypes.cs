namespace Platform.Identity.SharedSignals;

/// <summary>The event-type URIs Identity sends (CAEP 1.0 §3, RISC 1.0 §2, SSF 1.0 §8.1.4) and the delivery methods it offers.</summary>
public static class SsfEventTypes
{
    public const string SessionRevoked = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
    public const string CredentialChange = "https://schemas.openid.net/secevent/caep/event-type/credential-change";
    public const string TokenClaimsChange = "https://schemas.openid.net/secevent/caep/event-type/token-claims-change";
    public const string AccountDisabled = "https://schemas.openid.net/secevent/risc/event-type/account-disabled";
    public const string AccountEnabled = "https://schemas.openid.net/secevent/risc/event-type/account-enabled";

    /// <summary>Sent on a receiver's request to the verification endpoint, whatever it asked for.</summary>
    public const string Verification = "https://schemas.openid.net/secevent/ssf/event-type/verification";

    /// <summary>What a stream may request; <c>events_delivered</c> is the intersection with <c>events_requested</c>.</summary>
    public static readonly string[] Supported = [SessionRevoked, CredentialChange, TokenClaimsChange, AccountDisabled, AccountEnabled];

    /// <summary>RFC 8935: Identity POSTs each SET to the receiver's endpoint.</summary>
    public const string Push = "urn:ietf:rfc:8935";

    /// <summary>RFC 8936: the receiver POSTs to Identity's poll endpoint for its SETs.</summary>
    public const string Poll = "urn:ietf:rfc:8936";

    public static readonly string[] DeliveryMethods = [Push, Poll];
}
