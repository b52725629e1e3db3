namespace Casewire.Delivery.Sms;

// PLACEHOLDER (replaced by the Twilio provider work before landing).
public static class TwilioSms
{
    public static IServiceCollection AddTwilioSms(this IServiceCollection services) =>
        throw new InvalidOperationException("The Twilio provider is not built yet.");
}
