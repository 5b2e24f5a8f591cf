using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PetitionDashboard.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class BatchForeignKeysAndRelapseDate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Earlier demo data carried numbers of batches that were never created; a number without its batch is dropped
            // so the foreign keys can hold (a batch made in the app always had its row).
            migrationBuilder.Sql("UPDATE \"Threads\" SET \"BacklogBatchId\" = NULL WHERE \"BacklogBatchId\" IS NOT NULL AND \"BacklogBatchId\" NOT IN (SELECT \"Id\" FROM \"AssignmentBatches\")");
            migrationBuilder.Sql("UPDATE \"LeaderAssignments\" SET \"BatchId\" = NULL WHERE \"BatchId\" IS NOT NULL AND \"BatchId\" NOT IN (SELECT \"Id\" FROM \"AssignmentBatches\")");

            migrationBuilder.AddColumn<DateOnly>(
                name: "RelapsedOn",
                table: "LeaderAssignments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Threads_BacklogBatchId",
                table: "Threads",
                column: "BacklogBatchId");

            migrationBuilder.AddForeignKey(
                name: "FK_LeaderAssignments_AssignmentBatches_BatchId",
                table: "LeaderAssignments",
                column: "BatchId",
                principalTable: "AssignmentBatches",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_Threads_AssignmentBatches_BacklogBatchId",
                table: "Threads",
                column: "BacklogBatchId",
                principalTable: "AssignmentBatches",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_LeaderAssignments_AssignmentBatches_BatchId",
                table: "LeaderAssignments");

            migrationBuilder.DropForeignKey(
                name: "FK_Threads_AssignmentBatches_BacklogBatchId",
                table: "Threads");

            migrationBuilder.DropIndex(
                name: "IX_Threads_BacklogBatchId",
                table: "Threads");

            migrationBuilder.DropColumn(
                name: "RelapsedOn",
                table: "LeaderAssignments");
        }
    }
}
