using Casewire.Delivery;
using Casewire.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace Casewire.Tests.Infrastructure;

/// <summary>
/// A Casewire whose SMS provider is a <see cref="ScriptedSmsSender"/> on the app's <c>FakeTimeProvider</c>: the
/// dispatcher's rules (DispatcherTests) and the 08:00 burst (BurstTests) are judged by what it was asked to send, and when.
/// </summary>
public sealed class ScriptedSmsApp : CasewireApp
{
    internal ScriptedSmsSender Sms { get; } = new();

    protected override void ConfigureServices(IServiceCollection services)
    {
        Sms.Clock = Time;
        services.AddSingleton<ISmsSender>(Sms);
    }
}
