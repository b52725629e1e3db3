using System.Collections.Concurrent;
using Casewire.Delivery;

namespace Casewire.Tests.Fakes;

/// <summary>
/// An in-process SMS provider whose answers a test scripts, for the dispatcher's own rules (backoff,
/// give-up, expiry). The real HTTP path is covered against the fake Twilio server.
/// </summary>
sealed class ScriptedSmsSender : ISmsSender
{
    readonly ConcurrentQueue<SendResult> _script = new();

    public string Name => "scripted";
    public double? MessagesPerSecond { get; set; }
    public ConcurrentQueue<(OutgoingSms Sms, DateTimeOffset At)> Calls { get; } = new();
    public TimeProvider Clock { get; set; } = TimeProvider.System;
    /// <summary>Answer when the script is empty.</summary>
    public SendResult Otherwise { get; set; } = SendResult.Sent("SM-ok");

    /// <summary>Numbers whose send throws, as a buggy provider or a broken network stack would.</summary>
    public ConcurrentDictionary<string, bool> ThrowFor { get; } = new();
    /// <summary>Deliveries "the provider has" (for reconciliation after a crash), with their provider id.</summary>
    public ConcurrentDictionary<long, string> Has { get; } = new();

    /// <summary>Runs inside each send, before it answers: what else happens while the provider is being called.</summary>
    public Func<OutgoingSms, Task>? DuringSend { get; set; }

    public void Then(params SendResult[] results)
    {
        foreach (var result in results) _script.Enqueue(result);
    }

    public async Task<SendResult> SendAsync(OutgoingSms sms, CancellationToken ct)
    {
        Calls.Enqueue((sms, Clock.GetUtcNow()));
        if (DuringSend is { } during) await during(sms);
        if (ThrowFor.ContainsKey(sms.To)) throw new InvalidOperationException("provider exploded");
        return _script.TryDequeue(out var next) ? next : Otherwise;
    }

    /// <summary>While set, the provider cannot be asked: every reconciliation answers Unknown.</summary>
    public bool CannotBeAsked { get; set; }
    /// <summary>Runs inside each reconciliation, before it answers: what else happens while the provider is being asked.</summary>
    public Func<OutgoingSms, Task>? DuringReconcile { get; set; }
    /// <summary>Every reconciliation asked, with when.</summary>
    public ConcurrentQueue<(OutgoingSms Sms, DateTimeOffset At)> Asked { get; } = new();

    public async Task<ReconcileResult> ReconcileAsync(OutgoingSms sms, DateTimeOffset attemptStartedAt, CancellationToken ct)
    {
        Asked.Enqueue((sms, Clock.GetUtcNow()));
        if (DuringReconcile is { } during) await during(sms);
        if (CannotBeAsked) return new ReconcileResult(ReconcileOutcome.Unknown);
        return Has.TryGetValue(sms.DeliveryId, out var sid)
            ? new ReconcileResult(ReconcileOutcome.Found, sid)
            : new ReconcileResult(ReconcileOutcome.NotFound);
    }
}
