namespace Casewire.MassMessages;

static class MassMessagesExtensions
{
    /// <summary>Mass messages (SPEC §12): choosing the clients and writing one text to each of them.</summary>
    public static IHostApplicationBuilder AddMassMessages(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<Audience>();
        builder.Services.AddScoped<MassMessageWriter>();
        return builder;
    }
}
