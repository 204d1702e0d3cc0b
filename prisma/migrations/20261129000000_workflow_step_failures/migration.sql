-- A step's retry policy counts the attempts that failed with the step's own error, not those a crash or a stop
-- cut short (attempts counts both). Steps stored before this counted every attempt: they keep that count, less the
-- one under way.
-- AlterTable
ALTER TABLE "WorkflowStep" ADD COLUMN "failures" INTEGER NOT NULL DEFAULT 0;

UPDATE "WorkflowStep" SET "failures" = CASE WHEN "state" = 'running' THEN "attempts" - 1 ELSE "attempts" END WHERE "state" <> 'succeeded';
