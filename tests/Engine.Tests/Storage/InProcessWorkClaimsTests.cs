using RulesBilling.Engine.Claims;
using RulesBilling.Engine.Tests.Ingestion;

namespace RulesBilling.Engine.Tests.Storage;

public sealed class InProcessWorkClaimsTests : WorkClaimsContract
{
    private readonly TestClock _clock = new(StoreSamples.T0);

    public InProcessWorkClaimsTests() => Claims = new InProcessWorkClaims(_clock);

    protected override IWorkClaims Claims { get; }

    protected override void LetTimePass(TimeSpan span) => _clock.Now += span;
}
