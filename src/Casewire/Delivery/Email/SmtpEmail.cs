using System.ComponentModel.DataAnnotations;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Casewire.Delivery.Email;

/// <summary>How Casewire talks to the mail server, <c>Smtp:Security</c> (SPEC §9).</summary>
enum SmtpSecurity
{
    /// <summary>TLS on connect for port 465, STARTTLS when the server offers it on any other port (MailKit's <c>Auto</c>).</summary>
    Auto,
    /// <summary>Plain text, never TLS: a relay on the same host or a test server.</summary>
    None,
    /// <summary>STARTTLS, required: the connection fails rather than go on in plain text.</summary>
    StartTls,
    /// <summary>TLS from the first byte ("SMTPS", usually port 465).</summary>
    SslOnConnect,
}

/// <summary>The SMTP provider's settings (configuration section <c>Smtp</c>, SPEC §9), checked at start-up.</summary>
sealed class SmtpOptions
{
    public const string Section = "Smtp";

    /// <summary>The mail server's host name or address. Required.</summary>
    public string? Host { get; set; }

    /// <summary>
    /// The mail server's port. When not set: 465 for <see cref="SmtpSecurity.SslOnConnect"/>, 25 for
    /// <see cref="SmtpSecurity.None"/>, else 587 (the submission port, RFC 6409).
    /// </summary>
    public int? Port { get; set; }

    /// <summary>Default <see cref="SmtpSecurity.Auto"/>.</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;

    /// <summary>The login name; when empty Casewire does not authenticate (an open relay on a private network).</summary>
    public string? User { get; set; }

    /// <summary>The password for <see cref="User"/>.</summary>
    public string? Password { get; set; }

    /// <summary>The sender address of every email, e.g. <c>office@acme.example</c>. Required.</summary>
    public string? From { get; set; }

    /// <summary>The display name shown with <see cref="From"/> (e.g. "Acme Law"); optional.</summary>
    public string? FromName { get; set; }

    /// <summary>
    /// The longest any one network step (connect, TLS, login, each command) may take before the send
    /// counts as a transient failure and is retried. Default 30 seconds.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public int EffectivePort => Port ?? Security switch
    {
        SmtpSecurity.SslOnConnect => 465,
        SmtpSecurity.None => 25,
        _ => 587,
    };

    public SecureSocketOptions SocketOptions => Security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };

    public MailboxAddress FromMailbox => new(FromName, From!.Trim());
}

/// <summary>Every problem with the <c>Smtp</c> section at once, each naming its key and what is accepted.</summary>
sealed class SmtpOptionsValidation : IValidateOptions<SmtpOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Host))
            failures.Add("Smtp:Host is required with Email:Provider=Smtp: the mail server's host name, e.g. smtp.example.com.");
        if (options.Port is { } port && port is < 1 or > 65535)
            failures.Add($"Smtp:Port {port} is not a TCP port; use 1 to 65535 (usually 587, 465 or 25).");
        if (string.IsNullOrWhiteSpace(options.From))
            failures.Add("Smtp:From is required with Email:Provider=Smtp: the sender address of every email, e.g. office@acme.example.");
        else if (!IsAddress(options.From))
            failures.Add($"Smtp:From '{options.From}' is not an email address; use a plain address such as office@acme.example (the name goes in Smtp:FromName).");
        if (!string.IsNullOrEmpty(options.User) && string.IsNullOrEmpty(options.Password))
            failures.Add("Smtp:Password is required when Smtp:User is set.");
        if (options.Timeout <= TimeSpan.Zero)
            failures.Add($"Smtp:Timeout {options.Timeout} must be positive, e.g. 00:00:30.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    static bool IsAddress(string value) =>
        new EmailAddressAttribute().IsValid(value.Trim()) && MailboxAddress.TryParse(value.Trim(), out var parsed) && parsed.Name is null or "";
}

static class SmtpEmail
{
    /// <summary>Email through a mail server with MailKit (<c>Email:Provider=Smtp</c>); a bad <c>Smtp</c> section stops start-up.</summary>
    public static IServiceCollection AddSmtpEmail(this IServiceCollection services)
    {
        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmtpOptions>, SmtpOptionsValidation>();
        // Each network step may take this long; a lease must outlast it (see ProviderTimeout).
        services.AddSingleton(sp => new ProviderTimeout("Smtp:Timeout", () => sp.GetRequiredService<IOptions<SmtpOptions>>().Value.Timeout));
        services.AddSingleton<IEmailSender, SmtpEmailSender>();
        return services;
    }
}
