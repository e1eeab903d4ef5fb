namespace Platform.Platformctl.Cli;

/// <summary>Process exit codes; scripts branch on them, so they are part of the tool's contract.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int UsageOrUnexpected = 1;
    public const int MissingConfiguration = 2;
    public const int Unauthorized = 3;
    public const int Forbidden = 4;
    public const int NotFound = 5;
    public const int Unreachable = 6;
    public const int Rejected = 7;
    public const int NotApplied = 8;
    public const int TokenInvalid = 10;
    public const int TokenExpired = 11;
    public const int TokenRevoked = 12;

    public const string HelpText = """
        Exit codes:
          0   success (token inspect: the token is valid)
          1   invalid usage or unexpected error
          2   missing configuration (Identity URL, operator e-mail or password)
          3   401: not authenticated (wrong e-mail or password, expired or revoked operator token)
          4   403: the account is not an operator
          5   404: no such user, session or resource
          6   Identity could not be reached (connection refused, DNS, timeout)
          7   Identity rejected the request otherwise (400, 409, 429, 5xx)
          8   --wait: a live resource-server instance had not applied the revocation within the timeout
          10  token inspect: the token is invalid (signature, algorithm, type, issuer, claims)
          11  token inspect: the token has expired
          12  token inspect: the token's session is revoked or its user deactivated
        """;
}
