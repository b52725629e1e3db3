// The published help page's request examples, typed by the types openapi-typescript generates from the running server's
// /openapi/v1.json (scripts/contract.sh writes ./casewire.d.ts, then runs tsc --noEmit over this file). The examples are
// the help page's, with its JSON typos fixed (missing commas, unquoted keys) and its redacted addresses filled in.
import type { components } from "./casewire";

type Schemas = components["schemas"];

export const contact: Schemas["ContactRequest"] = {
    externalId: "123-3123-123", firstName: "John", lastName: "Doe", email: "john.doe@example.com", phone: "+15551234567",
};
// An update that sets only the phone: the other optional fields are left out, so the stored email is kept.
export const phoneOnly: Schemas["ContactRequest"] = { externalId: "123-3123-123", firstName: "John", lastName: "Doe", phone: "+15557654321" };
export const project: Schemas["ProjectRequest"] = {
    externalId: "123-3123-123", name: "New Project", partnerPhaseName: "Intake", clients: [{ externalId: "123-1231" }],
    partnerProjectTypeName: "Web Dev", milestonesEnabled: true, status: "Not Started",
};
export const projectWithBareClients: Schemas["ProjectRequest"] = { ...project, clients: ["123-1231", 7], status: "Complete" };
export const messageToProject: Schemas["SendMessageRequest"] = { projectId: "123-3123-123", text: "New Project", authorId: "32435" };
export const messageToPhone: Schemas["SendMessageRequest"] = { phoneNumber: "+15551234567", text: "Your documents are ready." };
export const calendarEvent: Schemas["CalendarEventRequest"] = {
    id: "XYZ123", projectId: "1234", title: "Jane Smith Desposition", attendees: ["jane.smith@example.com"],
    teamMembers: ["sam.park@example.com"], otherMembers: ["lee.chan@example.com"], startTime: "2024-01-01 08:00:00",
    endTime: "2024-01-01 08:30:00", timezone: "EST", location: "1234 courtroom road, new york", description: "this is a description",
    reminders: [{ unit: "day", amount: "1" }], notify: true,
};
export const publishedReminderName: Schemas["CalendarEventRequest"] = {
    id: "XYZ124", projectId: "1234", title: "Call", startTime: "2024-01-01T08:00:00-05:00", reminder: [{ unit: "hour", amount: 2 }],
};
export const withoutOptionalFields: Schemas["CalendarEventRequest"] = { id: "XYZ125", projectId: "1234", title: "Call", startTime: "2024-01-01 08:00:00" };
export const cancel: NonNullable<components["schemas"]["ProblemDetails"]["detail"]> = "the 404's detail is a typed string";

// What the server refuses, the types refuse too.
// @ts-expect-error title is required
export const withoutTitle: Schemas["CalendarEventRequest"] = { id: "XYZ126", projectId: "1234", startTime: "2024-01-01 08:00:00" };
// @ts-expect-error a reminder's unit is day, hour or minute
export const badUnit: Schemas["Reminder"] = { unit: "week", amount: 1 };
// @ts-expect-error text is required
export const withoutText: Schemas["SendMessageRequest"] = { projectId: "123-3123-123" };
