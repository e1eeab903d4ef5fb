namespace Platform.EndToEnd.Tests.Stack;

[CollectionDefinition(Name)]
public sealed class PlatformStackCollection : ICollectionFixture<PlatformStack>
{
    public const string Name = "platform stack";
}
