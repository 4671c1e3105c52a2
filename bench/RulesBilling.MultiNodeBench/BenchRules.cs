namespace RulesBilling.MultiNodeBench;

/// <summary>The rules every node starts with: a resolved ticket at 2 USD, monthly, for every customer.</summary>
internal static class BenchRules
{
    public const string Text = """
        event ticket.resolved {
          ticket_id: string
        }

        outcome resolved from ticket.resolved {
          key ticket_id
        }

        pricing support {
          charge resolved { unit 2 USD }
        }

        contract standard version 1 effective 2026-01-01 {
          customers default
          pricing support
          currency USD
          period monthly
        }
        """;
}
