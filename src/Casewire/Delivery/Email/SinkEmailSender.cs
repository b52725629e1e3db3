namespace Casewire.Delivery.Email;

/// <summary>The default email provider: sends nothing, records the email (delivery log, optional sink file).</summary>
sealed class SinkEmailSender(SinkFile file) : IEmailSender
{
    public string Name => "sink";

    public Task<SendResult> SendAsync(OutgoingEmail email, CancellationToken ct)
    {
        file.Append("email", email.To, email.From, email.Body, email.Subject, email.MessageId, email.DeliveryId);
        return Task.FromResult(SendResult.Sent($"sink-{email.DeliveryId}"));
    }

    public Task<ReconcileResult> ReconcileAsync(OutgoingEmail email, DateTimeOffset attemptStartedAt, CancellationToken ct) =>
        Task.FromResult(file.Contains(email.DeliveryId)
            ? new ReconcileResult(ReconcileOutcome.Found, $"sink-{email.DeliveryId}")
            : new ReconcileResult(ReconcileOutcome.NotFound));
}
