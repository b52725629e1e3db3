--
-- PostgreSQL database dump
--


-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Data for Name: Companies; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public."Companies" ("Id", "Slug", "Name", "TimeZone", "DefaultRegion", "DeliveryWindow", "CreatedAt", "HelpText", "SenderNumber", "PortalBaseUrl", "WindowEnd", "WindowStart", "PortalLinkVersion") VALUES (1, 'upgrade', 'Upgrade Law', 'Asia/Tokyo', 'US', 'BusinessHours', '2026-12-04 18:42:19.058751+00', NULL, NULL, NULL, '20:00:00', '08:00:00', 1);
INSERT INTO public."Companies" ("Id", "Slug", "Name", "TimeZone", "DefaultRegion", "DeliveryWindow", "CreatedAt", "HelpText", "SenderNumber", "PortalBaseUrl", "WindowEnd", "WindowStart", "PortalLinkVersion") VALUES (2, 'other', 'Other Firm', 'America/New_York', 'US', 'BusinessHours', '2026-12-04 18:42:22.326638+00', NULL, NULL, NULL, '20:00:00', '08:00:00', 1);


--
-- Data for Name: ApiTokens; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public."ApiTokens" ("Id", "CompanyId", "Name", "Prefix", "Hash", "CreatedAt", "LastUsedAt", "RevokedAt") VALUES (1, 1, 'CMS sync', 'cw_JZMcD9lC', '5d126c20c1a2e8796385a9e9a5e0ce3ea877f2a2c5bcd8c3aab37b1837871551', '2026-12-04 18:42:29.34226+00', '2026-12-04 18:42:37.466815+00', NULL);
INSERT INTO public."ApiTokens" ("Id", "CompanyId", "Name", "Prefix", "Hash", "CreatedAt", "LastUsedAt", "RevokedAt") VALUES (2, 2, 'CMS sync', 'cw_EtBqXfXu', '48812a7da095ab986abb513071e0151801802ade78540324eb422bccc2568387', '2026-12-04 18:42:32.838057+00', '2026-12-04 18:42:39.914156+00', NULL);


--
-- Data for Name: TeamMembers; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public."TeamMembers" ("Id", "CompanyId", "ExternalId", "FirstName", "LastName", "Email", "Phone", "Title", "CreatedAt", "UpdatedAt") VALUES (1, 1, 'u-1', 'Dana', 'Lee', 'dana@upgrade.example', NULL, NULL, '2026-12-04 18:42:37.809587+00', '2026-12-04 18:42:37.809587+00');


--
-- Data for Name: AspNetUsers; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public."AspNetUsers" ("Id", "CompanyId", "Role", "MustChangePassword", "TeamMemberId", "CreatedAt", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed", "PasswordHash", "SecurityStamp", "ConcurrencyStamp", "PhoneNumber", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnd", "LockoutEnabled", "AccessFailedCount", "DisplayName", "RepliesNotifiedUntil", "ReplyNotifications") VALUES (1, 1, 'Admin', true, NULL, '2026-12-04 18:42:25.722788+00', 'admin@upgrade.example', 'ADMIN@UPGRADE.EXAMPLE', 'admin@upgrade.example', 'ADMIN@UPGRADE.EXAMPLE', false, 'AQAAAAIAAYagAAAAEBiYVLPy1S0Z3+CDCeCxLulSsuVNio95Za4RZU5MCmtjXO8TRUpynG2kQwFBQUkyHw==', 'Q5J4H64Z7LLML3BOPNDOL3Y5DJ6OLMC3', '61950dcc-64d2-447c-bb56-ca854d2202be', NULL, false, false, NULL, true, 0, NULL, NULL, 0);


--
-- Data for Name: AspNetUserClaims; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: AspNetUserLogins; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: AspNetUserTokens; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: ProjectTypes; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public."ProjectTypes" ("Id", "CompanyId", "Name", "NormalizedName", "IsLocked", "CreatedAt", "WelcomeTemplate") VALUES (1, 1, 'Personal Injury', 'PERSONAL INJURY', false, '2026-12-04 18:42:37.963761+00', NULL);
INSERT INTO public."ProjectTypes" ("Id", "CompanyId", "Name", "NormalizedName", "IsLocked", "CreatedAt", "WelcomeTemplate") VALUES (2, 1, 'Probate', 'PROBATE', false, '2026-12-04 18:42:39.005651+00', NULL);
INSERT INTO public."ProjectTypes" ("Id", "CompanyId", "Name", "NormalizedName", "IsLocked", "CreatedAt", "WelcomeTemplate") VALUES (3, 2, 'General', 'GENERAL', false, '2026-12-04 18:42:39.948199+00', NULL);


--
-- Data for Name: Phases; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public."Phases" ("Id", "ProjectTypeId", "Step", "Name", "MessageTemplate") VALUES (1, 1, 0, 'Intake', NULL);
INSERT INTO public."Phases" ("Id", "ProjectTypeId", "Step", "Name", "MessageTemplate") VALUES (2, 1, 1, 'Discovery', NULL);
INSERT INTO public."Phases" ("Id", "ProjectTypeId", "Step", "Name", "MessageTemplate") VALUES (3, 2, 0, 'Intake', NULL);
INSERT INTO public."Phases" ("Id", "ProjectTypeId", "Step", "Name", "MessageTemplate") VALUES (4, 3, 0, 'Open', NULL);


--
-- Data for Name: Projects; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public."Projects" ("Id", "CompanyId", "ExternalId", "Name", "ProjectTypeId", "PhaseId", "PartnerPhaseName", "MilestonesEnabled", "Status", "CreatedAt", "UpdatedAt") VALUES (1, 1, 'm-1', 'Ruiz v. Acme', 1, 2, 'Discovery', true, 'InProgress', '2026-12-04 18:42:37.963761+00', '2026-12-04 18:42:38.814895+00');
INSERT INTO public."Projects" ("Id", "CompanyId", "ExternalId", "Name", "ProjectTypeId", "PhaseId", "PartnerPhaseName", "MilestonesEnabled", "Status", "CreatedAt", "UpdatedAt") VALUES (2, 1, 'm-2', 'Diaz estate', 2, 3, 'Intake', true, 'NotStarted', '2026-12-04 18:42:39.005651+00', '2026-12-04 18:42:39.005651+00');
INSERT INTO public."Projects" ("Id", "CompanyId", "ExternalId", "Name", "ProjectTypeId", "PhaseId", "PartnerPhaseName", "MilestonesEnabled", "Status", "CreatedAt", "UpdatedAt") VALUES (3, 2, 'm-1', 'Other matter', 3, 4, 'Open', true, 'InProgress', '2026-12-04 18:42:39.948199+00', '2026-12-04 18:42:39.948199+00');


--
-- Data for Name: CalendarEvents; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public."CalendarEvents" ("Id", "CompanyId", "ExternalId", "ProjectId", "Title", "Description", "Location", "StartAt", "EndAt", "TimeZone", "CanceledAt", "Sequence", "CreatedAt", "UpdatedAt") VALUES (1, 1, 'e-1', 1, 'Deposition', NULL, 'Room 4', '2026-12-21 01:00:00+00', '2026-12-21 01:30:00+00', 'Asia/Tokyo', NULL, 0, '2026-12-04 18:42:39.362+00', '2026-12-04 18:42:39.362+00');
INSERT INTO public."CalendarEvents" ("Id", "CompanyId", "ExternalId", "ProjectId", "Title", "Description", "Location", "StartAt", "EndAt", "TimeZone", "CanceledAt", "Sequence", "CreatedAt", "UpdatedAt") VALUES (2, 1, 'e-2', 2, 'Hearing', NULL, NULL, '2026-12-22 00:00:00+00', '2026-12-22 00:30:00+00', 'Asia/Tokyo', '2026-12-04 18:42:39.856+00', 1, '2026-12-04 18:42:39.723+00', '2026-12-04 18:42:39.856+00');


--
-- Data for Name: Contacts; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public."Contacts" ("Id", "CompanyId", "ExternalId", "FirstName", "LastName", "Email", "Phone", "NotificationPreference", "CreatedAt", "UpdatedAt") VALUES (1, 1, 'c-1', 'Ana', 'Ruiz', 'ana@example.com', '+15551230001', NULL, '2026-12-04 18:42:37.569015+00', '2026-12-04 18:42:37.569015+00');
INSERT INTO public."Contacts" ("Id", "CompanyId", "ExternalId", "FirstName", "LastName", "Email", "Phone", "NotificationPreference", "CreatedAt", "UpdatedAt") VALUES (2, 1, 'c-2', 'Ben', 'Cole', 'ben@example.com', NULL, NULL, '2026-12-04 18:42:37.717445+00', '2026-12-04 18:42:37.717445+00');
INSERT INTO public."Contacts" ("Id", "CompanyId", "ExternalId", "FirstName", "LastName", "Email", "Phone", "NotificationPreference", "CreatedAt", "UpdatedAt") VALUES (3, 1, 'c-3', 'Cara', 'Diaz', NULL, '+15551230003', NULL, '2026-12-04 18:42:37.762801+00', '2026-12-04 18:42:37.762801+00');
INSERT INTO public."Contacts" ("Id", "CompanyId", "ExternalId", "FirstName", "LastName", "Email", "Phone", "NotificationPreference", "CreatedAt", "UpdatedAt") VALUES (4, 2, 'c-1', 'Olga', 'Other', NULL, '+15551239999', NULL, '2026-12-04 18:42:39.918512+00', '2026-12-04 18:42:39.918512+00');


--
-- Data for Name: DataProtectionKeys; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public."DataProtectionKeys" ("Id", "FriendlyName", "Xml") VALUES (1, 'key-a20620f3-74df-4be6-8707-958e10431863', '<key id="a20620f3-74df-4be6-8707-958e10431863" version="1"><creationDate>2026-12-04T18:42:36.0723782Z</creationDate><activationDate>2026-12-04T18:42:36.0723782Z</activationDate><expirationDate>2027-03-04T18:42:36.0723782Z</expirationDate><descriptor deserializerType="Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel.AuthenticatedEncryptorDescriptorDeserializer, Microsoft.AspNetCore.DataProtection, Version=10.0.0.0, Culture=neutral, PublicKeyToken=adb9793829ddae60"><descriptor><encryption algorithm="AES_256_CBC" /><validation algorithm="HMACSHA256" /><masterKey p4:requiresEncryption="true" xmlns:p4="http://schemas.asp.net/2015/03/dataProtection"><!-- Warning: the key below is in an unencrypted form. --><value>itWpCWOxCbs+2PwmRqWhRwCOhJpiP2y5QpW1z5FJ8Nz18mIolU6qu/wc8PriwVtLzJ9Yckf+A9B68M/3GkLMBw==</value></masterKey></descriptor></descriptor></key>');


--
-- Data for Name: Messages; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public."Messages" ("Id", "CompanyId", "ProjectId", "Direction", "Kind", "AuthorTeamMemberId", "AuthorContactId", "AuthorName", "Text", "Subject", "FromAddress", "ProviderMessageId", "CreatedAt", "PhaseId", "AuthorStaffUserId", "ReadAt") VALUES (1, 1, 1, 'Outbound', 'Welcome', NULL, NULL, 'Casewire', 'Hi Ana, this is Upgrade Law. We will text you updates on Ruiz v. Acme here. Follow your case: http://localhost:5000/portal/CfDJ8PMgBqLfdOZLhweVjhBDGGOlJB92qvAu2dfkrb1TPcmK-2HnGtguS0mIhqJzyDI1lzMXxM4A1HCtn6E7i-HTjiVSGWmr2FYKUQ5OBKxgT-MvHMWsoFXeqyjNLNaAE3ue1A Reply STOP to opt out.', 'Upgrade Law: Ruiz v. Acme', NULL, NULL, '2026-12-04 18:42:38.403+00', 1, NULL, NULL);
INSERT INTO public."Messages" ("Id", "CompanyId", "ProjectId", "Direction", "Kind", "AuthorTeamMemberId", "AuthorContactId", "AuthorName", "Text", "Subject", "FromAddress", "ProviderMessageId", "CreatedAt", "PhaseId", "AuthorStaffUserId", "ReadAt") VALUES (2, 1, 1, 'Outbound', 'Welcome', NULL, NULL, 'Casewire', 'Hi Ben, this is Upgrade Law. We will text you updates on Ruiz v. Acme here. Follow your case: http://localhost:5000/portal/CfDJ8PMgBqLfdOZLhweVjhBDGGOafK4UKihfNJ1Ntnq6KzA8HpyDaeZzsUvmr9MNidpXZpObVI5aFGY7qBOD8iXPl_NnL2Ec5dqZH5fglPpfjzHROxot8lpVPnL4QaczM6SPoA Reply STOP to opt out.', 'Upgrade Law: Ruiz v. Acme', NULL, NULL, '2026-12-04 18:42:38.403+00', 1, NULL, NULL);
INSERT INTO public."Messages" ("Id", "CompanyId", "ProjectId", "Direction", "Kind", "AuthorTeamMemberId", "AuthorContactId", "AuthorName", "Text", "Subject", "FromAddress", "ProviderMessageId", "CreatedAt", "PhaseId", "AuthorStaffUserId", "ReadAt") VALUES (3, 1, 1, 'Outbound', 'PhaseChange', NULL, NULL, 'Casewire', 'Hi Ana, an update from Upgrade Law: Ruiz v. Acme has moved to the Discovery phase.', 'Upgrade Law: Ruiz v. Acme', NULL, NULL, '2026-12-04 18:42:38.914+00', 2, NULL, NULL);
INSERT INTO public."Messages" ("Id", "CompanyId", "ProjectId", "Direction", "Kind", "AuthorTeamMemberId", "AuthorContactId", "AuthorName", "Text", "Subject", "FromAddress", "ProviderMessageId", "CreatedAt", "PhaseId", "AuthorStaffUserId", "ReadAt") VALUES (4, 1, 1, 'Outbound', 'PhaseChange', NULL, NULL, 'Casewire', 'Hi Ben, an update from Upgrade Law: Ruiz v. Acme has moved to the Discovery phase.', 'Upgrade Law: Ruiz v. Acme', NULL, NULL, '2026-12-04 18:42:38.914+00', 2, NULL, NULL);
INSERT INTO public."Messages" ("Id", "CompanyId", "ProjectId", "Direction", "Kind", "AuthorTeamMemberId", "AuthorContactId", "AuthorName", "Text", "Subject", "FromAddress", "ProviderMessageId", "CreatedAt", "PhaseId", "AuthorStaffUserId", "ReadAt") VALUES (5, 1, 2, 'Outbound', 'Welcome', NULL, NULL, 'Casewire', 'Hi Cara, this is Upgrade Law. We will text you updates on Diaz estate here. Follow your case: http://localhost:5000/portal/CfDJ8PMgBqLfdOZLhweVjhBDGGOxm_U6xIHFu-GCEMqMQLNuLkoRP91hlDWsmufrf350wvjtBGhZgbO03Zt96rnb0G817mb8dRcPOEy54KhjyHEwXy5rAMquQw_HzLR4UBO0pw Reply STOP to opt out.', 'Upgrade Law: Diaz estate', NULL, NULL, '2026-12-04 18:42:39.022+00', 3, NULL, NULL);
INSERT INTO public."Messages" ("Id", "CompanyId", "ProjectId", "Direction", "Kind", "AuthorTeamMemberId", "AuthorContactId", "AuthorName", "Text", "Subject", "FromAddress", "ProviderMessageId", "CreatedAt", "PhaseId", "AuthorStaffUserId", "ReadAt") VALUES (6, 1, 1, 'Outbound', 'Explicit', 1, NULL, 'Dana Lee', 'We received your documents.', 'Upgrade Law: Ruiz v. Acme', NULL, NULL, '2026-12-04 18:42:39.093+00', NULL, NULL, NULL);
INSERT INTO public."Messages" ("Id", "CompanyId", "ProjectId", "Direction", "Kind", "AuthorTeamMemberId", "AuthorContactId", "AuthorName", "Text", "Subject", "FromAddress", "ProviderMessageId", "CreatedAt", "PhaseId", "AuthorStaffUserId", "ReadAt") VALUES (7, 1, NULL, 'Outbound', 'Explicit', NULL, NULL, 'CRM', 'Our office moves on Monday.', NULL, NULL, NULL, '2026-12-04 18:42:39.264+00', NULL, NULL, NULL);
INSERT INTO public."Messages" ("Id", "CompanyId", "ProjectId", "Direction", "Kind", "AuthorTeamMemberId", "AuthorContactId", "AuthorName", "Text", "Subject", "FromAddress", "ProviderMessageId", "CreatedAt", "PhaseId", "AuthorStaffUserId", "ReadAt") VALUES (8, 1, 1, 'Outbound', 'Reminder', NULL, NULL, 'Casewire', 'Upgrade Law: reminder of Deposition on Mon, Dec 21 at 10:00 AM JST at Room 4.', 'Reminder: Deposition, Mon, Dec 21 at 10:00 AM JST', NULL, NULL, '2026-12-04 18:42:39.362+00', NULL, NULL, NULL);
INSERT INTO public."Messages" ("Id", "CompanyId", "ProjectId", "Direction", "Kind", "AuthorTeamMemberId", "AuthorContactId", "AuthorName", "Text", "Subject", "FromAddress", "ProviderMessageId", "CreatedAt", "PhaseId", "AuthorStaffUserId", "ReadAt") VALUES (9, 1, 1, 'Outbound', 'Reminder', NULL, NULL, 'Casewire', 'Upgrade Law: reminder of Deposition on Mon, Dec 21 at 10:00 AM JST at Room 4.', 'Reminder: Deposition, Mon, Dec 21 at 10:00 AM JST', NULL, NULL, '2026-12-04 18:42:39.362+00', NULL, NULL, NULL);
INSERT INTO public."Messages" ("Id", "CompanyId", "ProjectId", "Direction", "Kind", "AuthorTeamMemberId", "AuthorContactId", "AuthorName", "Text", "Subject", "FromAddress", "ProviderMessageId", "CreatedAt", "PhaseId", "AuthorStaffUserId", "ReadAt") VALUES (10, 1, 1, 'Outbound', 'Notice', NULL, NULL, 'Casewire', 'Upgrade Law: Deposition is scheduled for Mon, Dec 21 at 10:00 AM JST at Room 4.', 'Scheduled: Deposition, Mon, Dec 21 at 10:00 AM JST', NULL, NULL, '2026-12-04 18:42:39.362+00', NULL, NULL, NULL);
INSERT INTO public."Messages" ("Id", "CompanyId", "ProjectId", "Direction", "Kind", "AuthorTeamMemberId", "AuthorContactId", "AuthorName", "Text", "Subject", "FromAddress", "ProviderMessageId", "CreatedAt", "PhaseId", "AuthorStaffUserId", "ReadAt") VALUES (11, 1, 2, 'Outbound', 'Reminder', NULL, NULL, 'Casewire', 'Upgrade Law: reminder of Hearing on Tue, Dec 22 at 9:00 AM JST.', 'Reminder: Hearing, Tue, Dec 22 at 9:00 AM JST', NULL, NULL, '2026-12-04 18:42:39.723+00', NULL, NULL, NULL);
INSERT INTO public."Messages" ("Id", "CompanyId", "ProjectId", "Direction", "Kind", "AuthorTeamMemberId", "AuthorContactId", "AuthorName", "Text", "Subject", "FromAddress", "ProviderMessageId", "CreatedAt", "PhaseId", "AuthorStaffUserId", "ReadAt") VALUES (12, 1, 2, 'Outbound', 'Notice', NULL, NULL, 'Casewire', 'Upgrade Law: Hearing on Tue, Dec 22 at 9:00 AM JST has been canceled.', 'Canceled: Hearing, Tue, Dec 22 at 9:00 AM JST', NULL, NULL, '2026-12-04 18:42:39.856+00', NULL, NULL, NULL);
INSERT INTO public."Messages" ("Id", "CompanyId", "ProjectId", "Direction", "Kind", "AuthorTeamMemberId", "AuthorContactId", "AuthorName", "Text", "Subject", "FromAddress", "ProviderMessageId", "CreatedAt", "PhaseId", "AuthorStaffUserId", "ReadAt") VALUES (13, 2, 3, 'Outbound', 'Welcome', NULL, NULL, 'Casewire', 'Hi Olga, this is Other Firm. We will text you updates on Other matter here. Follow your case: http://localhost:5000/portal/CfDJ8PMgBqLfdOZLhweVjhBDGGPZhsYWjEnuSTb7p8AkRU_7UtqRqdtbVbZo8CuErQP0MEvkjTMlGDZq-Papyx6DUXMF_NMHrBsCIwGP8QkqwLfgow5cfLKzBq1r_G1esWgxig Reply STOP to opt out.', 'Other Firm: Other matter', NULL, NULL, '2026-12-04 18:42:39.97+00', 4, NULL, NULL);


--
-- Data for Name: WebhookEndpoints; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: OutboxItems; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public."OutboxItems" ("Id", "CompanyId", "MessageId", "Channel", "To", "From", "Subject", "Body", "ContactId", "TeamMemberId", "DueAt", "AvailableAt", "ExpiresAt", "CoalescingKey", "Status", "LeaseOwner", "LeaseExpiresAt", "Attempts", "ProviderMessageId", "ErrorCode", "ErrorMessage", "Segments", "CreatedAt", "SentAt", "DeliveredAt", "CalendarIcs", "WebhookEndpointId", "WebhookId") VALUES (1, 1, 1, 'Sms', '+15551230001', NULL, NULL, 'Hi Ana, this is Upgrade Law. We will text you updates on Ruiz v. Acme here. Follow your case: http://localhost:5000/portal/CfDJ8PMgBqLfdOZLhweVjhBDGGOlJB92qvAu2dfkrb1TPcmK-2HnGtguS0mIhqJzyDI1lzMXxM4A1HCtn6E7i-HTjiVSGWmr2FYKUQ5OBKxgT-MvHMWsoFXeqyjNLNaAE3ue1A Reply STOP to opt out.', 1, NULL, '2026-12-06 23:00:00+00', '2026-12-06 23:00:00+00', NULL, 'project:1:welcome:1', 'Pending', NULL, NULL, 0, NULL, NULL, NULL, 2, '2026-12-04 18:42:38.503117+00', NULL, NULL, NULL, NULL, NULL);
INSERT INTO public."OutboxItems" ("Id", "CompanyId", "MessageId", "Channel", "To", "From", "Subject", "Body", "ContactId", "TeamMemberId", "DueAt", "AvailableAt", "ExpiresAt", "CoalescingKey", "Status", "LeaseOwner", "LeaseExpiresAt", "Attempts", "ProviderMessageId", "ErrorCode", "ErrorMessage", "Segments", "CreatedAt", "SentAt", "DeliveredAt", "CalendarIcs", "WebhookEndpointId", "WebhookId") VALUES (2, 1, 2, 'Email', 'ben@example.com', NULL, 'Upgrade Law: Ruiz v. Acme', 'Hi Ben, this is Upgrade Law. We will text you updates on Ruiz v. Acme here. Follow your case: http://localhost:5000/portal/CfDJ8PMgBqLfdOZLhweVjhBDGGOafK4UKihfNJ1Ntnq6KzA8HpyDaeZzsUvmr9MNidpXZpObVI5aFGY7qBOD8iXPl_NnL2Ec5dqZH5fglPpfjzHROxot8lpVPnL4QaczM6SPoA Reply STOP to opt out.', 2, NULL, '2026-12-06 23:00:00+00', '2026-12-06 23:00:00+00', NULL, 'project:1:welcome:2', 'Pending', NULL, NULL, 0, NULL, NULL, NULL, NULL, '2026-12-04 18:42:38.630548+00', NULL, NULL, NULL, NULL, NULL);
INSERT INTO public."OutboxItems" ("Id", "CompanyId", "MessageId", "Channel", "To", "From", "Subject", "Body", "ContactId", "TeamMemberId", "DueAt", "AvailableAt", "ExpiresAt", "CoalescingKey", "Status", "LeaseOwner", "LeaseExpiresAt", "Attempts", "ProviderMessageId", "ErrorCode", "ErrorMessage", "Segments", "CreatedAt", "SentAt", "DeliveredAt", "CalendarIcs", "WebhookEndpointId", "WebhookId") VALUES (3, 1, 3, 'Sms', '+15551230001', NULL, NULL, 'Hi Ana, an update from Upgrade Law: Ruiz v. Acme has moved to the Discovery phase.', 1, NULL, '2026-12-06 23:00:00+00', '2026-12-06 23:00:00+00', NULL, 'project:1:phase:1', 'Pending', NULL, NULL, 0, NULL, NULL, NULL, 1, '2026-12-04 18:42:38.952888+00', NULL, NULL, NULL, NULL, NULL);
INSERT INTO public."OutboxItems" ("Id", "CompanyId", "MessageId", "Channel", "To", "From", "Subject", "Body", "ContactId", "TeamMemberId", "DueAt", "AvailableAt", "ExpiresAt", "CoalescingKey", "Status", "LeaseOwner", "LeaseExpiresAt", "Attempts", "ProviderMessageId", "ErrorCode", "ErrorMessage", "Segments", "CreatedAt", "SentAt", "DeliveredAt", "CalendarIcs", "WebhookEndpointId", "WebhookId") VALUES (4, 1, 4, 'Email', 'ben@example.com', NULL, 'Upgrade Law: Ruiz v. Acme', 'Hi Ben, an update from Upgrade Law: Ruiz v. Acme has moved to the Discovery phase.', 2, NULL, '2026-12-06 23:00:00+00', '2026-12-06 23:00:00+00', NULL, 'project:1:phase:2', 'Pending', NULL, NULL, 0, NULL, NULL, NULL, NULL, '2026-12-04 18:42:38.956841+00', NULL, NULL, NULL, NULL, NULL);
INSERT INTO public."OutboxItems" ("Id", "CompanyId", "MessageId", "Channel", "To", "From", "Subject", "Body", "ContactId", "TeamMemberId", "DueAt", "AvailableAt", "ExpiresAt", "CoalescingKey", "Status", "LeaseOwner", "LeaseExpiresAt", "Attempts", "ProviderMessageId", "ErrorCode", "ErrorMessage", "Segments", "CreatedAt", "SentAt", "DeliveredAt", "CalendarIcs", "WebhookEndpointId", "WebhookId") VALUES (5, 1, 5, 'Sms', '+15551230003', NULL, NULL, 'Hi Cara, this is Upgrade Law. We will text you updates on Diaz estate here. Follow your case: http://localhost:5000/portal/CfDJ8PMgBqLfdOZLhweVjhBDGGOxm_U6xIHFu-GCEMqMQLNuLkoRP91hlDWsmufrf350wvjtBGhZgbO03Zt96rnb0G817mb8dRcPOEy54KhjyHEwXy5rAMquQw_HzLR4UBO0pw Reply STOP to opt out.', 3, NULL, '2026-12-06 23:00:00+00', '2026-12-06 23:00:00+00', NULL, 'project:2:welcome:3', 'Pending', NULL, NULL, 0, NULL, NULL, NULL, 2, '2026-12-04 18:42:39.022768+00', NULL, NULL, NULL, NULL, NULL);
INSERT INTO public."OutboxItems" ("Id", "CompanyId", "MessageId", "Channel", "To", "From", "Subject", "Body", "ContactId", "TeamMemberId", "DueAt", "AvailableAt", "ExpiresAt", "CoalescingKey", "Status", "LeaseOwner", "LeaseExpiresAt", "Attempts", "ProviderMessageId", "ErrorCode", "ErrorMessage", "Segments", "CreatedAt", "SentAt", "DeliveredAt", "CalendarIcs", "WebhookEndpointId", "WebhookId") VALUES (6, 1, 6, 'Sms', '+15551230001', NULL, 'Upgrade Law: Ruiz v. Acme', 'We received your documents.', 1, NULL, '2026-12-04 18:42:39.148949+00', '2026-12-04 18:42:39.148949+00', NULL, NULL, 'Sent', NULL, NULL, 1, 'sink-6', NULL, NULL, 1, '2026-12-04 18:42:39.148949+00', '2026-12-04 18:42:39.210839+00', NULL, NULL, NULL, NULL);
INSERT INTO public."OutboxItems" ("Id", "CompanyId", "MessageId", "Channel", "To", "From", "Subject", "Body", "ContactId", "TeamMemberId", "DueAt", "AvailableAt", "ExpiresAt", "CoalescingKey", "Status", "LeaseOwner", "LeaseExpiresAt", "Attempts", "ProviderMessageId", "ErrorCode", "ErrorMessage", "Segments", "CreatedAt", "SentAt", "DeliveredAt", "CalendarIcs", "WebhookEndpointId", "WebhookId") VALUES (7, 1, 6, 'Email', 'ben@example.com', NULL, 'Upgrade Law: Ruiz v. Acme', 'We received your documents.', 2, NULL, '2026-12-04 18:42:39.150908+00', '2026-12-04 18:42:39.150908+00', NULL, NULL, 'Sent', NULL, NULL, 1, 'sink-7', NULL, NULL, NULL, '2026-12-04 18:42:39.150908+00', '2026-12-04 18:42:39.210839+00', NULL, NULL, NULL, NULL);
INSERT INTO public."OutboxItems" ("Id", "CompanyId", "MessageId", "Channel", "To", "From", "Subject", "Body", "ContactId", "TeamMemberId", "DueAt", "AvailableAt", "ExpiresAt", "CoalescingKey", "Status", "LeaseOwner", "LeaseExpiresAt", "Attempts", "ProviderMessageId", "ErrorCode", "ErrorMessage", "Segments", "CreatedAt", "SentAt", "DeliveredAt", "CalendarIcs", "WebhookEndpointId", "WebhookId") VALUES (8, 1, 7, 'Sms', '+15551230009', NULL, NULL, 'Our office moves on Monday.', NULL, NULL, '2026-12-04 18:42:39.277537+00', '2026-12-04 18:42:39.277537+00', NULL, NULL, 'Sent', NULL, NULL, 1, 'sink-8', NULL, NULL, 1, '2026-12-04 18:42:39.277537+00', '2026-12-04 18:42:39.315326+00', NULL, NULL, NULL, NULL);
INSERT INTO public."OutboxItems" ("Id", "CompanyId", "MessageId", "Channel", "To", "From", "Subject", "Body", "ContactId", "TeamMemberId", "DueAt", "AvailableAt", "ExpiresAt", "CoalescingKey", "Status", "LeaseOwner", "LeaseExpiresAt", "Attempts", "ProviderMessageId", "ErrorCode", "ErrorMessage", "Segments", "CreatedAt", "SentAt", "DeliveredAt", "CalendarIcs", "WebhookEndpointId", "WebhookId") VALUES (9, 1, 8, 'Sms', '+15551230001', NULL, NULL, 'Upgrade Law: reminder of Deposition on Mon, Dec 21 at 10:00 AM JST at Room 4.', 1, NULL, '2026-12-20 01:00:00+00', '2026-12-20 01:00:00+00', '2026-12-21 01:00:00+00', 'event:1:reminder:1', 'Pending', NULL, NULL, 0, NULL, NULL, NULL, 1, '2026-12-04 18:42:39.570798+00', NULL, NULL, NULL, NULL, NULL);
INSERT INTO public."OutboxItems" ("Id", "CompanyId", "MessageId", "Channel", "To", "From", "Subject", "Body", "ContactId", "TeamMemberId", "DueAt", "AvailableAt", "ExpiresAt", "CoalescingKey", "Status", "LeaseOwner", "LeaseExpiresAt", "Attempts", "ProviderMessageId", "ErrorCode", "ErrorMessage", "Segments", "CreatedAt", "SentAt", "DeliveredAt", "CalendarIcs", "WebhookEndpointId", "WebhookId") VALUES (10, 1, 8, 'Email', 'ben@example.com', NULL, 'Reminder: Deposition, Mon, Dec 21 at 10:00 AM JST', 'Upgrade Law: reminder of Deposition on Mon, Dec 21 at 10:00 AM JST at Room 4.', 2, NULL, '2026-12-20 01:00:00+00', '2026-12-20 01:00:00+00', '2026-12-21 01:00:00+00', 'event:1:reminder:1', 'Pending', NULL, NULL, 0, NULL, NULL, NULL, NULL, '2026-12-04 18:42:39.572192+00', NULL, NULL, 'BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Casewire//Casewire//EN
CALSCALE:GREGORIAN
METHOD:PUBLISH
BEGIN:VEVENT
UID:event-1-1@casewire
DTSTAMP:20261204T184239Z
DTSTART:20261221T010000Z
DTEND:20261221T013000Z
SEQUENCE:0
SUMMARY:Deposition
ORGANIZER;CN=Upgrade Law:mailto:noreply@casewire.invalid
STATUS:CONFIRMED
LOCATION:Room 4
END:VEVENT
END:VCALENDAR
', NULL, NULL);
INSERT INTO public."OutboxItems" ("Id", "CompanyId", "MessageId", "Channel", "To", "From", "Subject", "Body", "ContactId", "TeamMemberId", "DueAt", "AvailableAt", "ExpiresAt", "CoalescingKey", "Status", "LeaseOwner", "LeaseExpiresAt", "Attempts", "ProviderMessageId", "ErrorCode", "ErrorMessage", "Segments", "CreatedAt", "SentAt", "DeliveredAt", "CalendarIcs", "WebhookEndpointId", "WebhookId") VALUES (11, 1, 8, 'Email', 'dana@upgrade.example', NULL, 'Reminder: Deposition, Mon, Dec 21 at 10:00 AM JST', 'Upgrade Law: reminder of Deposition on Mon, Dec 21 at 10:00 AM JST at Room 4.', NULL, 1, '2026-12-20 01:00:00+00', '2026-12-20 01:00:00+00', '2026-12-21 01:00:00+00', 'event:1:reminder:1', 'Pending', NULL, NULL, 0, NULL, NULL, NULL, NULL, '2026-12-04 18:42:39.572317+00', NULL, NULL, 'BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Casewire//Casewire//EN
CALSCALE:GREGORIAN
METHOD:PUBLISH
BEGIN:VEVENT
UID:event-1-1@casewire
DTSTAMP:20261204T184239Z
DTSTART:20261221T010000Z
DTEND:20261221T013000Z
SEQUENCE:0
SUMMARY:Deposition
ORGANIZER;CN=Upgrade Law:mailto:noreply@casewire.invalid
STATUS:CONFIRMED
LOCATION:Room 4
END:VEVENT
END:VCALENDAR
', NULL, NULL);
INSERT INTO public."OutboxItems" ("Id", "CompanyId", "MessageId", "Channel", "To", "From", "Subject", "Body", "ContactId", "TeamMemberId", "DueAt", "AvailableAt", "ExpiresAt", "CoalescingKey", "Status", "LeaseOwner", "LeaseExpiresAt", "Attempts", "ProviderMessageId", "ErrorCode", "ErrorMessage", "Segments", "CreatedAt", "SentAt", "DeliveredAt", "CalendarIcs", "WebhookEndpointId", "WebhookId") VALUES (12, 1, 9, 'Sms', '+15551230001', NULL, NULL, 'Upgrade Law: reminder of Deposition on Mon, Dec 21 at 10:00 AM JST at Room 4.', 1, NULL, '2026-12-20 23:00:00+00', '2026-12-20 23:00:00+00', '2026-12-21 01:00:00+00', 'event:1:reminder:2', 'Pending', NULL, NULL, 0, NULL, NULL, NULL, 1, '2026-12-04 18:42:39.586398+00', NULL, NULL, NULL, NULL, NULL);
INSERT INTO public."OutboxItems" ("Id", "CompanyId", "MessageId", "Channel", "To", "From", "Subject", "Body", "ContactId", "TeamMemberId", "DueAt", "AvailableAt", "ExpiresAt", "CoalescingKey", "Status", "LeaseOwner", "LeaseExpiresAt", "Attempts", "ProviderMessageId", "ErrorCode", "ErrorMessage", "Segments", "CreatedAt", "SentAt", "DeliveredAt", "CalendarIcs", "WebhookEndpointId", "WebhookId") VALUES (13, 1, 9, 'Email', 'ben@example.com', NULL, 'Reminder: Deposition, Mon, Dec 21 at 10:00 AM JST', 'Upgrade Law: reminder of Deposition on Mon, Dec 21 at 10:00 AM JST at Room 4.', 2, NULL, '2026-12-20 23:00:00+00', '2026-12-20 23:00:00+00', '2026-12-21 01:00:00+00', 'event:1:reminder:2', 'Pending', NULL, NULL, 0, NULL, NULL, NULL, NULL, '2026-12-04 18:42:39.587004+00', NULL, NULL, 'BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Casewire//Casewire//EN
CALSCALE:GREGORIAN
METHOD:PUBLISH
BEGIN:VEVENT
UID:event-1-1@casewire
DTSTAMP:20261204T184239Z
DTSTART:20261221T010000Z
DTEND:20261221T013000Z
SEQUENCE:0
SUMMARY:Deposition
ORGANIZER;CN=Upgrade Law:mailto:noreply@casewire.invalid
STATUS:CONFIRMED
LOCATION:Room 4
END:VEVENT
END:VCALENDAR
', NULL, NULL);
INSERT INTO public."OutboxItems" ("Id", "CompanyId", "MessageId", "Channel", "To", "From", "Subject", "Body", "ContactId", "TeamMemberId", "DueAt", "AvailableAt", "ExpiresAt", "CoalescingKey", "Status", "LeaseOwner", "LeaseExpiresAt", "Attempts", "ProviderMessageId", "ErrorCode", "ErrorMessage", "Segments", "CreatedAt", "SentAt", "DeliveredAt", "CalendarIcs", "WebhookEndpointId", "WebhookId") VALUES (14, 1, 9, 'Email', 'dana@upgrade.example', NULL, 'Reminder: Deposition, Mon, Dec 21 at 10:00 AM JST', 'Upgrade Law: reminder of Deposition on Mon, Dec 21 at 10:00 AM JST at Room 4.', NULL, 1, '2026-12-20 23:00:00+00', '2026-12-20 23:00:00+00', '2026-12-21 01:00:00+00', 'event:1:reminder:2', 'Pending', NULL, NULL, 0, NULL, NULL, NULL, NULL, '2026-12-04 18:42:39.58711+00', NULL, NULL, 'BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Casewire//Casewire//EN
CALSCALE:GREGORIAN
METHOD:PUBLISH
BEGIN:VEVENT
UID:event-1-1@casewire
DTSTAMP:20261204T184239Z
DTSTART:20261221T010000Z
DTEND:20261221T013000Z
SEQUENCE:0
SUMMARY:Deposition
ORGANIZER;CN=Upgrade Law:mailto:noreply@casewire.invalid
STATUS:CONFIRMED
LOCATION:Room 4
END:VEVENT
END:VCALENDAR
', NULL, NULL);
INSERT INTO public."OutboxItems" ("Id", "CompanyId", "MessageId", "Channel", "To", "From", "Subject", "Body", "ContactId", "TeamMemberId", "DueAt", "AvailableAt", "ExpiresAt", "CoalescingKey", "Status", "LeaseOwner", "LeaseExpiresAt", "Attempts", "ProviderMessageId", "ErrorCode", "ErrorMessage", "Segments", "CreatedAt", "SentAt", "DeliveredAt", "CalendarIcs", "WebhookEndpointId", "WebhookId") VALUES (15, 1, 10, 'Sms', '+15551230001', NULL, NULL, 'Upgrade Law: Deposition is scheduled for Mon, Dec 21 at 10:00 AM JST at Room 4.', 1, NULL, '2026-12-04 18:42:39.362+00', '2026-12-04 18:42:39.362+00', '2026-12-21 01:00:00+00', NULL, 'Sent', NULL, NULL, 1, 'sink-15', NULL, NULL, 1, '2026-12-04 18:42:39.588343+00', '2026-12-04 18:42:39.679067+00', NULL, NULL, NULL, NULL);
INSERT INTO public."OutboxItems" ("Id", "CompanyId", "MessageId", "Channel", "To", "From", "Subject", "Body", "ContactId", "TeamMemberId", "DueAt", "AvailableAt", "ExpiresAt", "CoalescingKey", "Status", "LeaseOwner", "LeaseExpiresAt", "Attempts", "ProviderMessageId", "ErrorCode", "ErrorMessage", "Segments", "CreatedAt", "SentAt", "DeliveredAt", "CalendarIcs", "WebhookEndpointId", "WebhookId") VALUES (16, 1, 10, 'Email', 'ben@example.com', NULL, 'Scheduled: Deposition, Mon, Dec 21 at 10:00 AM JST', 'Upgrade Law: Deposition is scheduled for Mon, Dec 21 at 10:00 AM JST at Room 4.', 2, NULL, '2026-12-04 18:42:39.362+00', '2026-12-04 18:42:39.362+00', '2026-12-21 01:00:00+00', NULL, 'Sent', NULL, NULL, 1, 'sink-16', NULL, NULL, NULL, '2026-12-04 18:42:39.588628+00', '2026-12-04 18:42:39.679067+00', NULL, 'BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Casewire//Casewire//EN
CALSCALE:GREGORIAN
METHOD:PUBLISH
BEGIN:VEVENT
UID:event-1-1@casewire
DTSTAMP:20261204T184239Z
DTSTART:20261221T010000Z
DTEND:20261221T013000Z
SEQUENCE:0
SUMMARY:Deposition
ORGANIZER;CN=Upgrade Law:mailto:noreply@casewire.invalid
STATUS:CONFIRMED
LOCATION:Room 4
END:VEVENT
END:VCALENDAR
', NULL, NULL);
INSERT INTO public."OutboxItems" ("Id", "CompanyId", "MessageId", "Channel", "To", "From", "Subject", "Body", "ContactId", "TeamMemberId", "DueAt", "AvailableAt", "ExpiresAt", "CoalescingKey", "Status", "LeaseOwner", "LeaseExpiresAt", "Attempts", "ProviderMessageId", "ErrorCode", "ErrorMessage", "Segments", "CreatedAt", "SentAt", "DeliveredAt", "CalendarIcs", "WebhookEndpointId", "WebhookId") VALUES (17, 1, 11, 'Sms', '+15551230003', NULL, NULL, 'Upgrade Law: reminder of Hearing on Tue, Dec 22 at 9:00 AM JST.', 3, NULL, '2026-12-20 00:00:00+00', '2026-12-20 00:00:00+00', '2026-12-22 00:00:00+00', 'event:2:reminder:3', 'Canceled', NULL, NULL, 0, NULL, NULL, NULL, 1, '2026-12-04 18:42:39.734752+00', NULL, NULL, NULL, NULL, NULL);
INSERT INTO public."OutboxItems" ("Id", "CompanyId", "MessageId", "Channel", "To", "From", "Subject", "Body", "ContactId", "TeamMemberId", "DueAt", "AvailableAt", "ExpiresAt", "CoalescingKey", "Status", "LeaseOwner", "LeaseExpiresAt", "Attempts", "ProviderMessageId", "ErrorCode", "ErrorMessage", "Segments", "CreatedAt", "SentAt", "DeliveredAt", "CalendarIcs", "WebhookEndpointId", "WebhookId") VALUES (18, 1, 12, 'Sms', '+15551230003', NULL, NULL, 'Upgrade Law: Hearing on Tue, Dec 22 at 9:00 AM JST has been canceled.', 3, NULL, '2026-12-04 18:42:39.856+00', '2026-12-04 18:42:39.856+00', NULL, NULL, 'Sent', NULL, NULL, 1, 'sink-18', NULL, NULL, 1, '2026-12-04 18:42:39.863016+00', '2026-12-04 18:42:39.877175+00', NULL, NULL, NULL, NULL);
INSERT INTO public."OutboxItems" ("Id", "CompanyId", "MessageId", "Channel", "To", "From", "Subject", "Body", "ContactId", "TeamMemberId", "DueAt", "AvailableAt", "ExpiresAt", "CoalescingKey", "Status", "LeaseOwner", "LeaseExpiresAt", "Attempts", "ProviderMessageId", "ErrorCode", "ErrorMessage", "Segments", "CreatedAt", "SentAt", "DeliveredAt", "CalendarIcs", "WebhookEndpointId", "WebhookId") VALUES (19, 2, 13, 'Sms', '+15551239999', NULL, NULL, 'Hi Olga, this is Other Firm. We will text you updates on Other matter here. Follow your case: http://localhost:5000/portal/CfDJ8PMgBqLfdOZLhweVjhBDGGPZhsYWjEnuSTb7p8AkRU_7UtqRqdtbVbZo8CuErQP0MEvkjTMlGDZq-Papyx6DUXMF_NMHrBsCIwGP8QkqwLfgow5cfLKzBq1r_G1esWgxig Reply STOP to opt out.', 4, NULL, '2026-12-04 18:42:39.97+00', '2026-12-04 18:42:39.97+00', NULL, 'project:3:welcome:4', 'Sent', NULL, NULL, 1, 'sink-19', NULL, NULL, 2, '2026-12-04 18:42:39.977002+00', '2026-12-04 18:42:39.993734+00', NULL, NULL, NULL, NULL);


--
-- Data for Name: DeliveryAttempts; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public."DeliveryAttempts" ("Id", "OutboxItemId", "Number", "Instance", "StartedAt", "FinishedAt", "Outcome", "ProviderMessageId", "ErrorCode", "ErrorMessage") VALUES (1, 6, 1, 'vm:2144:c86280', '2026-12-04 18:42:39.166255+00', '2026-12-04 18:42:39.210839+00', 'Sent', 'sink-6', NULL, NULL);
INSERT INTO public."DeliveryAttempts" ("Id", "OutboxItemId", "Number", "Instance", "StartedAt", "FinishedAt", "Outcome", "ProviderMessageId", "ErrorCode", "ErrorMessage") VALUES (2, 7, 1, 'vm:2144:c86280', '2026-12-04 18:42:39.166255+00', '2026-12-04 18:42:39.210839+00', 'Sent', 'sink-7', NULL, NULL);
INSERT INTO public."DeliveryAttempts" ("Id", "OutboxItemId", "Number", "Instance", "StartedAt", "FinishedAt", "Outcome", "ProviderMessageId", "ErrorCode", "ErrorMessage") VALUES (3, 8, 1, 'vm:2144:c86280', '2026-12-04 18:42:39.304745+00', '2026-12-04 18:42:39.315326+00', 'Sent', 'sink-8', NULL, NULL);
INSERT INTO public."DeliveryAttempts" ("Id", "OutboxItemId", "Number", "Instance", "StartedAt", "FinishedAt", "Outcome", "ProviderMessageId", "ErrorCode", "ErrorMessage") VALUES (4, 15, 1, 'vm:2144:c86280', '2026-12-04 18:42:39.671193+00', '2026-12-04 18:42:39.679067+00', 'Sent', 'sink-15', NULL, NULL);
INSERT INTO public."DeliveryAttempts" ("Id", "OutboxItemId", "Number", "Instance", "StartedAt", "FinishedAt", "Outcome", "ProviderMessageId", "ErrorCode", "ErrorMessage") VALUES (5, 16, 1, 'vm:2144:c86280', '2026-12-04 18:42:39.671193+00', '2026-12-04 18:42:39.679067+00', 'Sent', 'sink-16', NULL, NULL);
INSERT INTO public."DeliveryAttempts" ("Id", "OutboxItemId", "Number", "Instance", "StartedAt", "FinishedAt", "Outcome", "ProviderMessageId", "ErrorCode", "ErrorMessage") VALUES (6, 18, 1, 'vm:2144:c86280', '2026-12-04 18:42:39.872732+00', '2026-12-04 18:42:39.877175+00', 'Sent', 'sink-18', NULL, NULL);
INSERT INTO public."DeliveryAttempts" ("Id", "OutboxItemId", "Number", "Instance", "StartedAt", "FinishedAt", "Outcome", "ProviderMessageId", "ErrorCode", "ErrorMessage") VALUES (7, 19, 1, 'vm:2144:c86280', '2026-12-04 18:42:39.986642+00', '2026-12-04 18:42:39.993734+00', 'Sent', 'sink-19', NULL, NULL);


--
-- Data for Name: EventAttendees; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public."EventAttendees" ("EventId", "ContactId") VALUES (1, 1);
INSERT INTO public."EventAttendees" ("EventId", "ContactId") VALUES (1, 2);
INSERT INTO public."EventAttendees" ("EventId", "ContactId") VALUES (2, 3);


--
-- Data for Name: EventMembers; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public."EventMembers" ("EventId", "TeamMemberId", "AssignedToProject") VALUES (1, 1, true);


--
-- Data for Name: IdempotencyRecords; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: OptOuts; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: PhaseChanges; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public."PhaseChanges" ("Id", "ProjectId", "FromPhaseId", "ToPhaseId", "OccurredAt") VALUES (1, 1, NULL, 1, '2026-12-04 18:42:37.963761+00');
INSERT INTO public."PhaseChanges" ("Id", "ProjectId", "FromPhaseId", "ToPhaseId", "OccurredAt") VALUES (2, 1, 1, 2, '2026-12-04 18:42:38.814895+00');
INSERT INTO public."PhaseChanges" ("Id", "ProjectId", "FromPhaseId", "ToPhaseId", "OccurredAt") VALUES (3, 2, NULL, 3, '2026-12-04 18:42:39.005651+00');
INSERT INTO public."PhaseChanges" ("Id", "ProjectId", "FromPhaseId", "ToPhaseId", "OccurredAt") VALUES (4, 3, NULL, 4, '2026-12-04 18:42:39.948199+00');


--
-- Data for Name: PhaseDrips; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: PhaseTriggers; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public."PhaseTriggers" ("Id", "PhaseId", "ProjectTypeId", "Name", "NormalizedName") VALUES (1, 1, 1, 'Intake', 'INTAKE');
INSERT INTO public."PhaseTriggers" ("Id", "PhaseId", "ProjectTypeId", "Name", "NormalizedName") VALUES (2, 2, 1, 'Discovery', 'DISCOVERY');
INSERT INTO public."PhaseTriggers" ("Id", "PhaseId", "ProjectTypeId", "Name", "NormalizedName") VALUES (3, 3, 2, 'Intake', 'INTAKE');
INSERT INTO public."PhaseTriggers" ("Id", "PhaseId", "ProjectTypeId", "Name", "NormalizedName") VALUES (4, 4, 3, 'Open', 'OPEN');


--
-- Data for Name: ProjectClients; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public."ProjectClients" ("ProjectId", "ContactId", "Position") VALUES (1, 1, 0);
INSERT INTO public."ProjectClients" ("ProjectId", "ContactId", "Position") VALUES (1, 2, 1);
INSERT INTO public."ProjectClients" ("ProjectId", "ContactId", "Position") VALUES (2, 3, 0);
INSERT INTO public."ProjectClients" ("ProjectId", "ContactId", "Position") VALUES (3, 4, 0);


--
-- Data for Name: Reminders; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public."Reminders" ("Id", "EventId", "Unit", "Amount", "SendAt", "Status", "Reason", "MessageId") VALUES (1, 1, 'Day', 1, '2026-12-20 01:00:00+00', 'Scheduled', NULL, 8);
INSERT INTO public."Reminders" ("Id", "EventId", "Unit", "Amount", "SendAt", "Status", "Reason", "MessageId") VALUES (2, 1, 'Hour', 2, '2026-12-20 23:00:00+00', 'Scheduled', NULL, 9);
INSERT INTO public."Reminders" ("Id", "EventId", "Unit", "Amount", "SendAt", "Status", "Reason", "MessageId") VALUES (3, 2, 'Day', 2, '2026-12-20 00:00:00+00', 'Canceled', 'event-canceled', 11);


--
-- Data for Name: UnmappedPhaseNames; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Name: ApiTokens_Id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public."ApiTokens_Id_seq"', 2, true);


--
-- Name: AspNetUserClaims_Id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public."AspNetUserClaims_Id_seq"', 1, false);


--
-- Name: AspNetUsers_Id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public."AspNetUsers_Id_seq"', 1, true);


--
-- Name: CalendarEvents_Id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public."CalendarEvents_Id_seq"', 2, true);


--
-- Name: Companies_Id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public."Companies_Id_seq"', 2, true);


--
-- Name: Contacts_Id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public."Contacts_Id_seq"', 4, true);


--
-- Name: DataProtectionKeys_Id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public."DataProtectionKeys_Id_seq"', 1, true);


--
-- Name: DeliveryAttempts_Id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public."DeliveryAttempts_Id_seq"', 7, true);


--
-- Name: IdempotencyRecords_Id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public."IdempotencyRecords_Id_seq"', 1, false);


--
-- Name: Messages_Id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public."Messages_Id_seq"', 13, true);


--
-- Name: OptOuts_Id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public."OptOuts_Id_seq"', 1, false);


--
-- Name: OutboxItems_Id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public."OutboxItems_Id_seq"', 19, true);


--
-- Name: PhaseChanges_Id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public."PhaseChanges_Id_seq"', 4, true);


--
-- Name: PhaseDrips_Id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public."PhaseDrips_Id_seq"', 1, false);


--
-- Name: PhaseTriggers_Id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public."PhaseTriggers_Id_seq"', 4, true);


--
-- Name: Phases_Id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public."Phases_Id_seq"', 4, true);


--
-- Name: ProjectTypes_Id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public."ProjectTypes_Id_seq"', 3, true);


--
-- Name: Projects_Id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public."Projects_Id_seq"', 3, true);


--
-- Name: Reminders_Id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public."Reminders_Id_seq"', 3, true);


--
-- Name: TeamMembers_Id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public."TeamMembers_Id_seq"', 1, true);


--
-- Name: UnmappedPhaseNames_Id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public."UnmappedPhaseNames_Id_seq"', 1, false);


--
-- Name: WebhookEndpoints_Id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public."WebhookEndpoints_Id_seq"', 1, false);


--
-- PostgreSQL database dump complete
--


