namespace Casewire.Delivery.Inbound;

// PLACEHOLDER (replaced by the Twilio webhook work before landing).
public static class TwilioWebhooks
{
    public static IEndpointRouteBuilder MapTwilioWebhooks(this IEndpointRouteBuilder app) => app;
}
