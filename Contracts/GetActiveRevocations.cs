namespace Platform.Contracts;

/// <summary>A resource server asks Identity for every revocation still inside the token-lifetime window.</summary>
/// <param name="RequestedBy">Which instance asks, for Identity's log.</param>
public sealed record GetActiveRevocations(string RequestedBy);
