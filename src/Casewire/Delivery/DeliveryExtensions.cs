using Casewire.Delivery.Email;
using Casewire.Delivery.Inbound;
using Casewire.Delivery.Sms;
using Casewire.Delivery.Webhooks;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Casewire.Delivery;

static class DeliveryExtensions
{
    /// <summary>The outbox, the dispatcher and the providers chosen by <c>Sms:Provider</c> / <c>Email:Provider</c>.</summary>
    public static IHostApplicationBuilder AddDelivery(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidation>();
        services.AddOptions<SinkOptions>().BindConfiguration(SinkOptions.Section)
            .Validate(o => SinkOptions.IsFilePath(o.File), "Sink:File must name a file, e.g. data/sink.jsonl, not a folder; leave it unset to write no file.")
            .ValidateOnStart();
        services.AddScoped<Outbox>();
        services.AddSingleton<OutboxWake>();
        // Attached by the database context to every save: committed outbox rows wake the dispatcher.
        services.AddSingleton<IInterceptor, OutboxWriteInterceptor>();
        services.AddScoped<ExplicitMessages>();
        services.AddSingleton<SinkFile>();

        var smsProvider = builder.Configuration["Sms:Provider"] ?? "Sink";
        switch (smsProvider.ToLowerInvariant())
        {
            case "sink": services.AddSingleton<ISmsSender, SinkSmsSender>(); break;
            case "twilio": services.AddTwilioSms(); break;
            default: throw new InvalidOperationException($"Sms:Provider '{smsProvider}' is not known; use Sink or Twilio.");
        }
        var emailProvider = builder.Configuration["Email:Provider"] ?? "Sink";
        switch (emailProvider.ToLowerInvariant())
        {
            case "sink": services.AddSingleton<IEmailSender, SinkEmailSender>(); break;
            case "smtp": services.AddSmtpEmail(); break;
            default: throw new InvalidOperationException($"Email:Provider '{emailProvider}' is not known; use Sink or Smtp.");
        }

        services.AddWebhooks();
        services.AddSingleton<DeliveryMetrics>();
        services.AddSingleton<ChannelRouter>();
        services.AddSingleton<SendDecisions>();
        services.AddSingleton<Outcomes>();
        services.AddSingleton<AmbiguousAttempts>();
        services.AddSingleton<ExpiredLeases>();
        services.AddSingleton<Dispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<Dispatcher>());
        services.AddHostedService<PostgresOutboxRelay>();
        services.AddSingleton<Housekeeping>();
        services.AddHostedService(sp => sp.GetRequiredService<Housekeeping>());
        services.AddClientReplies();
        return builder;
    }
}
