using Casewire.Texts;
using Microsoft.Extensions.Localization;

namespace Casewire.Portal;

/// <summary>
/// The portal's own words in the client's language (SPEC §13): an <see cref="IStringLocalizer"/> whose keys are
/// the English texts, with the Spanish ones here. The page picks it from the contact's language (else the firm's).
/// A key with no translation is shown as written, in English.
/// </summary>
sealed class PortalWords(string language) : IStringLocalizer
{
    public string Language { get; } = Languages.Of(language) ?? Languages.English;

    static readonly Dictionary<string, string> Spanish = new(StringComparer.Ordinal)
    {
        ["Hello {0}. This is your private page for your case with {1}. Times are your local time ({2})."] =
            "Hola {0}. Esta es la página privada de su caso con {1}. Las horas son de su hora local ({2}).",
        ["Where your case stands"] = "En qué punto está su caso",
        ["Your law firm has not set out the steps of your case yet."] = "Su bufete todavía no ha indicado las etapas de su caso.",
        ["Case tracker"] = "Etapas del caso",
        ["(done)"] = "(completada)",
        ["Completed"] = "Completado",
        ["Your case is complete."] = "Su caso ha concluido.",
        ["Coming up"] = "Próximamente",
        ["Nothing is scheduled for you at the moment."] = "No tiene nada programado por ahora.",
        ["({0} where it takes place)"] = "({0} donde tiene lugar)",
        ["Messages"] = "Mensajes",
        ["No messages yet."] = "Todavía no hay mensajes.",
        ["You"] = "Usted",
        ["Write to {0}"] = "Escriba a {0}",
        ["Your message goes to your case team, like a text to your law firm."] = "Su mensaje llega al equipo de su caso, como un mensaje de texto a su bufete.",
        ["Send message"] = "Enviar mensaje",
        ["Please write your message before sending it."] = "Escriba su mensaje antes de enviarlo.",
        ["Your message is sent. Your case team will read it and get back to you."] = "Su mensaje se ha enviado. El equipo de su caso lo leerá y le responderá.",
        ["How likely are you to recommend {0} to a friend?"] = "¿Qué probabilidad hay de que recomiende {0} a un amigo?",
        ["0 = not at all likely, 10 = extremely likely"] = "0 = nada probable, 10 = muy probable",
        ["Anything you would like to tell us? (optional)"] = "¿Quiere contarnos algo más? (opcional)",
        ["Send my answer"] = "Enviar mi respuesta",
        ["Please choose a number from 0 to 10."] = "Elija un número del 0 al 10.",
        ["Thank you for your answer."] = "Gracias por su respuesta.",
        ["This page is private to you: please do not forward its link."] = "Esta página es privada: no reenvíe su enlace.",
        ["Your case"] = "Su caso",
        ["Documents"] = "Documentos",
        ["No documents yet."] = "Todavía no hay documentos.",
        ["sent by you"] = "enviado por usted",
        ["from {0}"] = "de {0}",
        ["Send a document"] = "Enviar un documento",
        ["What is it?"] = "¿Qué es?",
        ["(optional)"] = "(opcional)",
        ["e.g. my insurance card"] = "p. ej., mi tarjeta del seguro",
        ["Take a photo or choose a photo or PDF, up to 25 MiB. It goes to your case team."] =
            "Haga una foto o elija una foto o un PDF, de hasta 25 MiB. Llega al equipo de su caso.",
        ["Send document"] = "Enviar documento",
        ["Sending…"] = "Enviando…",
        ["The document could not be sent. Please try again."] = "No se pudo enviar el documento. Inténtelo de nuevo.",
        ["The connection was lost before the document arrived. Please try again."] =
            "Se perdió la conexión antes de que llegara el documento. Inténtelo de nuevo.",
        ["Your document \"{0}\" is sent. Your case team will see it."] = "Su documento «{0}» se ha enviado. El equipo de su caso lo verá.",
        ["The file is larger than accepted; at most {0} is accepted."] = "El archivo es más grande de lo admitido; se admiten hasta {0}.",
        ["The file did not arrive whole. Please try again."] = "El archivo no llegó completo. Inténtelo de nuevo.",
        ["Please choose a photo or a file to send."] = "Elija una foto o un archivo para enviar.",
        ["Please keep the description to {0} characters."] = "Escriba una descripción de {0} caracteres como máximo.",
        ["This file is {0}; files up to {1} can be sent here."] = "Este archivo ocupa {0}; aquí se pueden enviar archivos de hasta {1}.",
        ["You have sent several messages in the last minute. They have reached us; please wait a minute before sending another."] =
            "Ha enviado varios mensajes en el último minuto. Nos han llegado; espere un minuto antes de enviar otro.",
        ["This type of file cannot be sent here. Please send a photo (JPEG, PNG, HEIC…), a PDF or a Word document."] =
            "Este tipo de archivo no se puede enviar aquí. Envíe una foto (JPEG, PNG, HEIC…), un PDF o un documento de Word.",
    };

    public LocalizedString this[string name] => Language == Languages.Spanish && Spanish.TryGetValue(name, out var es)
        ? new LocalizedString(name, es)
        : new LocalizedString(name, name, resourceNotFound: Language != Languages.English);

    public LocalizedString this[string name, params object[] arguments] =>
        new(name, string.Format(System.Globalization.CultureInfo.GetCultureInfo(Language), this[name].Value, arguments));

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
        Language == Languages.Spanish ? Spanish.Select(p => new LocalizedString(p.Key, p.Value)) : Spanish.Keys.Select(k => new LocalizedString(k, k));
}
