namespace Platform.ResourceServer;

/// <summary>Entry point of the library: what an API calls to accept the platform's access tokens.</summary>
public static class PlatformTokenValidation
{
}
