namespace Platform.TokenRules;

/// <summary>
/// The member names seen so far in one object of a token's header or payload, as ranges of the decoded JSON (no
/// allocation), so <see cref="TokenShape"/> can refuse duplicates, whose meaning IdentityModel would settle as last-wins.
/// </summary>
internal ref struct JsonMemberNames(Span<Range> seen)
{
    private readonly Span<Range> _seen = seen;
    private int _count;

    public TokenRefusal? Add(ReadOnlySpan<byte> name, bool escaped, int start, ReadOnlySpan<byte> json)
    {
        // An escaped name ("\u0073ub") is how a duplicate hides from naive scanners; Identity never writes one, so
        // names compare as plain bytes.
        if (escaped)
            return new(TokenRefusalReason.MemberNameEscaped, "The token's member names are not plain.");
        for (var i = 0; i < _count; i++)
        {
            if (name.SequenceEqual(json[_seen[i]]))
                return new(TokenRefusalReason.DuplicateMember, "The token has duplicate members.");
        }

        if (_count == _seen.Length)
            return new(TokenRefusalReason.TooManyMembers, "The token has too many members.");
        _seen[_count++] = new Range(start, start + name.Length);
        return null;
    }
}
