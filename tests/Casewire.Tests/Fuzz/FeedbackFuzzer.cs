using System.Text.Json.Nodes;

namespace Casewire.Tests.Fuzz;

/// <summary>
/// <c>GET feedback</c> (SPEC §13): limits, cursors and <c>since</c>, valid and not. The fuzz firm never surveys a client,
/// so every page it gets is empty: an item would be another firm's answer.
/// </summary>
public sealed class FeedbackListFuzzer() : EndpointFuzzer("GET", "/partner/v2/feedback")
{
    public override FuzzRequest Next(FuzzTenant tenant, Random random)
    {
        var query = random.Pick<string>(["", "?limit=1", "?limit=200", "?limit=0", "?limit=201", "?limit=x", "?cursor=djE6MQ", "?cursor=bm9wZQ",
            "?since=2026-01-01T00:00:00Z", "?since=2026-01-01", "?since=yesterday", "?since=", "?since=9999-99-99T00:00:00Z", "?since=%00"]);
        var request = new FuzzRequest(Method, Route + query);
        request.Expect = r =>
        {
            if (Names(r, "limit", "cursor", "since")) return null;
            if (r.Status != 200 || r.Json?["items"] is not JsonArray items) return $"{r.Status}; expected 200 with items, or a 400 naming limit, cursor or since";
            return items.Count == 0 ? null : "the list holds feedback the fuzz firm never received";
        };
        if (query.Contains("%00", StringComparison.Ordinal)) request.ProtocolLevel = true;
        Disturb(request, random, query: false);
        return request;
    }
}
