using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Casewire.Hosting;

/// <summary>Tells whoever just ran <c>dotnet run</c> where to go next (SPEC §9).</summary>
sealed class StartupBanner(IServer server, IHostApplicationLifetime lifetime, IConfiguration configuration) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5000";
            address = address.Replace("://[::]", "://localhost").Replace("://0.0.0.0", "://localhost").Replace("://+", "://localhost");
            var provider = configuration["Database:Provider"] ?? "Sqlite";
            var sms = configuration["Sms:Provider"] ?? "Sink";
            var email = configuration["Email:Provider"] ?? "Sink";
            // The providers actually chosen (DeliveryExtensions reads the same keys): a Twilio or SMTP set-up must not be told it is a sink.
            var delivery = IsSink(sms) && IsSink(email) ? "SMS and email: sink, nothing leaves this machine" : $"SMS: {sms}; email: {email}";
            Console.WriteLine($"""

                Casewire is running on {address}  (database: {provider}; {delivery})
                  Company App   {address}/   (staff sign-in: see "First sign-in" below)
                  API docs      {address}/docs   (OpenAPI: {address}/openapi/v1.json)
                  Health        {address}/health/ready

                First steps, in another terminal:
                  dotnet run --project src/Casewire -- company create --name "Acme Law" --slug acme
                  dotnet run --project src/Casewire -- token create --company acme --name "CMS sync"
                  dotnet run --project src/Casewire -- user create --company acme --email you@example.com --role admin
                  curl -H "Authorization: Bearer <token>" {address}/partner/v2/me

                First sign-in: open {address}/login with that email and the one-time password
                'user create' printed; you choose your own password, then create API tokens
                under Settings → Integrations.

                """);
        });
        return Task.CompletedTask;
    }

    static bool IsSink(string provider) => string.Equals(provider, "Sink", StringComparison.OrdinalIgnoreCase);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
