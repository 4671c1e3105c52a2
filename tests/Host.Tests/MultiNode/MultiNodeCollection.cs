namespace RulesBilling.Host.Tests.MultiNode;

/// <summary>The clusters start several processes each; one cluster at a time keeps the 2-core machine responsive.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MultiNodeCollection
{
    public const string Name = "multi-node clusters";
}
