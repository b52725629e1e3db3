namespace Casewire.Delivery.Email;

// PLACEHOLDER (replaced by the SMTP provider work before landing).
public static class SmtpEmail
{
    public static IServiceCollection AddSmtpEmail(this IServiceCollection services) =>
        throw new InvalidOperationException("The SMTP provider is not built yet.");
}
