namespace Platform.Contracts;

/// <summary>What a catch-up entry revokes; the snapshot sends every user before any session.</summary>
public enum RevokedKind
{
    User = 0,
    Session = 1,
}
