namespace Casewire.Delivery.Inbound;

/// <summary>
/// The SMS provider's webhooks (SPEC §9), form-encoded as Twilio sends them. Twilio proves itself
/// with its signature, not with a Partner API token or an antiforgery cookie.
/// </summary>
static class TwilioWebhooks
{
    public const string BasePath = "/webhooks/twilio";

    public static IEndpointRouteBuilder MapTwilioWebhooks(this IEndpointRouteBuilder app)
    {
        var twilio = app.MapGroup(BasePath)
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription()
            .RequireTwilioSignature();
        twilio.MapPost("/sms", InboundSms.ReceiveAsync).WithName("TwilioInboundSms");
        twilio.MapPost("/status", StatusCallbacks.ReceiveAsync).WithName("TwilioStatusCallback");
        return app;
    }
}
