namespace Casewire.Delivery.Sms;

/// <summary>The default SMS provider: sends nothing, records the text (delivery log, optional sink file).</summary>
sealed class SinkSmsSender(SinkFile file) : ISmsSender
{
    public string Name => "sink";
    public double? MessagesPerSecond => null;

    public Task<SendResult> SendAsync(OutgoingSms sms, CancellationToken ct)
    {
        file.Append("sms", sms.To, sms.From, sms.Body, null, sms.MessageId, sms.DeliveryId);
        return Task.FromResult(SendResult.Sent($"sink-{sms.DeliveryId}"));
    }

    public Task<ReconcileResult> ReconcileAsync(OutgoingSms sms, DateTimeOffset attemptStartedAt, CancellationToken ct) =>
        Task.FromResult(file.Contains(sms.DeliveryId)
            ? new ReconcileResult(ReconcileOutcome.Found, $"sink-{sms.DeliveryId}")
            : new ReconcileResult(ReconcileOutcome.NotFound));
}
