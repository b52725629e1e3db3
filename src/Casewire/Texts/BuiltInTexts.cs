namespace Casewire.Texts;

/// <summary>A client-facing text that Casewire writes itself when the firm has not (SPEC §6, §7, §13).</summary>
enum TextKind
{
    Welcome,
    PhaseChange,
    Survey,
    ReviewRequest,
    Help,
}

/// <summary>
/// What clients read when the firm has not written its own text, in each language Casewire speaks (SPEC §13).
/// Short enough for one text message each, except the welcome, whose personal portal link makes it two.
/// The English welcome and phase message are those of SPEC §6 (Milestones' DefaultTexts names them).
/// </summary>
static class BuiltInTexts
{
    public const string WelcomeEn =
        "Hi {client.firstName}, this is {company.name}. We will text you updates on {project.name} here. " +
        "Follow your case: {portal.link} Reply STOP to opt out.";

    public const string PhaseChangeEn =
        "Hi {client.firstName}, an update from {company.name}: {project.name} has moved to the {phase.name} phase.";

    static readonly Dictionary<(TextKind, string), string> Texts = new()
    {
        [(TextKind.Welcome, Languages.English)] = WelcomeEn,
        [(TextKind.Welcome, Languages.Spanish)] =
            "Hola {client.firstName}, le escribe {company.name}. Le enviaremos aquí novedades sobre {project.name}. " +
            "Siga su caso: {portal.link} Responda STOP para no recibir más mensajes.",
        [(TextKind.PhaseChange, Languages.English)] = PhaseChangeEn,
        [(TextKind.PhaseChange, Languages.Spanish)] =
            "Hola {client.firstName}, novedades de {company.name}: {project.name} ha pasado a la fase {phase.name}.",
        [(TextKind.Survey, Languages.English)] =
            "Hi {client.firstName}, how likely are you to recommend {company.name} to a friend? Reply with a number from 0 to 10 " +
            "(10 = very likely), and a comment if you like.",
        [(TextKind.Survey, Languages.Spanish)] =
            "Hola {client.firstName}, ¿qué probabilidad hay de que recomiende {company.name} a un amigo? Responda con un número " +
            "del 0 al 10 (10 = muy probable) y, si quiere, un comentario.",
        [(TextKind.ReviewRequest, Languages.English)] =
            "Thank you, {client.firstName}! Would you share your experience with {company.name} in a review? {review.link}",
        [(TextKind.ReviewRequest, Languages.Spanish)] =
            "¡Gracias, {client.firstName}! ¿Compartiría su experiencia con {company.name} en una reseña? {review.link}",
        [(TextKind.Help, Languages.English)] = "{company.name}: reply to this number to reach your case team. Reply STOP to opt out.",
        [(TextKind.Help, Languages.Spanish)] =
            "{company.name}: responda a este número para hablar con el equipo de su caso. Responda STOP para no recibir más mensajes.",
    };

    /// <summary>The built-in text of <paramref name="kind"/> in <paramref name="language"/> (English when Casewire has none in it).</summary>
    public static string Of(TextKind kind, string language) =>
        Texts.TryGetValue((kind, Languages.Of(language) ?? Languages.English), out var text) ? text : Texts[(kind, Languages.English)];
}
