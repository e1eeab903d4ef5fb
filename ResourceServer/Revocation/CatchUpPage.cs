using Platform.ServiceDefaults.Messaging;

namespace Platform.ResourceServer.Revocation;

/// <summary>
/// Applies one page of Identity's catch-up to the deny-list. Every entry only ever adds a revocation or moves one
/// later, so a page applied twice, or after a later page, leaves the list as it was.
/// </summary>
internal static class CatchUpPage
{
    /// <returns>How many entries the page held (applied or refused).</returns>
    public static int Merge(ActiveRevocations page, DenyList denyList, RevocationEventBounds bounds)
    {
        var users = PackedRevocations.Count(page.Users);
        for (var i = 0; i < users; i++)
        {
            var (userId, at) = PackedRevocations.Read(page.Users, i);
            if (bounds.AdmitsEntry(RevokedKind.User, userId, at))
                denyList.DeactivateUser(userId, at);
        }

        var sessions = PackedRevocations.Count(page.Sessions);
        for (var i = 0; i < sessions; i++)
        {
            var (sessionId, at) = PackedRevocations.Read(page.Sessions, i);
            if (bounds.AdmitsEntry(RevokedKind.Session, sessionId, at))
                denyList.RevokeSession(sessionId, at);
        }

        return users + sessions;
    }
}
