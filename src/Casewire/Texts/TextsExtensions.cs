namespace Casewire.Texts;

static class TextsExtensions
{
    /// <summary>The client texts in each language and the firm's own wordings of them (SPEC §13).</summary>
    public static IHostApplicationBuilder AddClientTexts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<ClientTexts>();
        return builder;
    }
}
