using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Casewire.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CompanyApp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "AuthorStaffUserId",
                table: "Messages",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ReadAt",
                table: "Messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PortalLinkVersion",
                table: "Companies",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "DisplayName",
                table: "AspNetUsers",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "RepliesNotifiedUntil",
                table: "AspNetUsers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ReplyNotifications",
                table: "AspNetUsers",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "IX_Messages_AuthorStaffUserId",
                table: "Messages",
                column: "AuthorStaffUserId");

            migrationBuilder.CreateIndex(
                name: "IX_Messages_CompanyId_Direction_ReadAt",
                table: "Messages",
                columns: new[] { "CompanyId", "Direction", "ReadAt" });

            migrationBuilder.AddForeignKey(
                name: "FK_Messages_AspNetUsers_AuthorStaffUserId",
                table: "Messages",
                column: "AuthorStaffUserId",
                principalTable: "AspNetUsers",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Messages_AspNetUsers_AuthorStaffUserId",
                table: "Messages");

            migrationBuilder.DropIndex(
                name: "IX_Messages_AuthorStaffUserId",
                table: "Messages");

            migrationBuilder.DropIndex(
                name: "IX_Messages_CompanyId_Direction_ReadAt",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "AuthorStaffUserId",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "ReadAt",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "PortalLinkVersion",
                table: "Companies");

            migrationBuilder.DropColumn(
                name: "DisplayName",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "RepliesNotifiedUntil",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "ReplyNotifications",
                table: "AspNetUsers");
        }
    }
}
