using System.Collections.Concurrent;
using System.Net;

namespace Casewire.Tests.Fakes;

/// <summary>
/// The faults <see cref="FakeTwilio"/> injects at random, from one seed (replayable), for the chaos test: on a send,
/// a reply lost after acceptance (answered only after the client gave up), a reset after the body was read, a 502
/// after acceptance, a 429 with a short <c>Retry-After</c>, a refusal (21211); on a list, a 500; on an accepted text,
/// left queued (no <c>date_sent</c>, so a <c>DateSent</c> filter would hide it). Counts what it injected, by kind.
/// </summary>
public sealed class TwilioChaos(int seed, double sendFaultRate = 0.12, double listFailRate = 0.15, double queuedRate = 0.5)
{
    public const string LostReply = "reply lost after acceptance", Reset = "reset after the body was read", BadGateway = "502 after acceptance",
        RateLimited = "429 with Retry-After 1-3 s", Refused = "refused (21211)", ListFailed = "list failed (500)",
        LeftQueued = "accepted and left queued (no date_sent)";

    static readonly string[] SendKinds = [LostReply, Reset, BadGateway, RateLimited, Refused];

    readonly Random _random = new(seed);
    readonly ConcurrentDictionary<string, int> _injected = new();

    public int Seed => seed;

    /// <summary>How many of each fault were injected.</summary>
    public IReadOnlyDictionary<string, int> Injected => _injected;

    /// <summary>The (To, Body) of each send the fake refused: only these may end failed.</summary>
    public ConcurrentBag<(string? To, string? Body)> RefusedSends { get; } = [];

    double Next()
    {
        lock (_random) return _random.NextDouble();
    }

    int NextInt(int min, int max)
    {
        lock (_random) return _random.Next(min, max);
    }

    void Count(string kind) => _injected.AddOrUpdate(kind, 1, (_, n) => n + 1);

    /// <summary>The fault for this send, or null to answer it normally. Refusals are rare: most faults are the ambiguous kinds.</summary>
    internal FakeTwilio.Scripted? NextSendFault(string? to, string? body)
    {
        if (Next() >= sendFaultRate) return null;
        var kind = Next() < 0.05 ? Refused : SendKinds[NextInt(0, SendKinds.Length - 1)];
        Count(kind);
        switch (kind)
        {
            case LostReply: return new(HttpStatusCode.GatewayTimeout, Hang: true, Accept: true);
            case Reset: return new(HttpStatusCode.InternalServerError, Accept: true, Reset: true);
            case BadGateway: return new(HttpStatusCode.BadGateway, "<html><body>502 Bad Gateway</body></html>", Accept: true);
            case RateLimited:
                return new(HttpStatusCode.TooManyRequests, """{"code":20429,"message":"Too Many Requests","status":429}""",
                    TimeSpan.FromSeconds(NextInt(1, 4)));
            default:
                RefusedSends.Add((to, body));
                return new(HttpStatusCode.BadRequest, """{"code":21211,"message":"The 'To' number is not a valid phone number.","status":400}""");
        }
    }

    /// <summary>True when this list request is to fail.</summary>
    internal bool ListFails()
    {
        if (Next() >= listFailRate) return false;
        Count(ListFailed);
        return true;
    }

    /// <summary>True when an accepted text is to stay queued (no date_sent).</summary>
    internal bool LeaveQueued()
    {
        if (Next() >= queuedRate) return false;
        Count(LeftQueued);
        return true;
    }
}
