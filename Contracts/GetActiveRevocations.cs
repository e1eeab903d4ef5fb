namespace Platform.Contracts;

/// <summary>
/// A resource server asks Identity for one page of the revocations still inside the token-lifetime window; it asks
/// again with <see cref="ActiveRevocations.Next"/> until that is null.
/// </summary>
/// <param name="RequestedBy">Which instance asks, for Identity's log.</param>
/// <param name="After">Where the page starts: null for the first page, else the previous page's <see cref="ActiveRevocations.Next"/>.</param>
public sealed record GetActiveRevocations(string RequestedBy, RevocationCursor? After = null);
