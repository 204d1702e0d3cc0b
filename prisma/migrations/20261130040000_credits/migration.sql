-- ModifyDefaultCreditSpecification: the account's default credit option per burstable family and region. An
-- instance's own credit mode and history live in Instance.options (JSON), so no column changes there.
-- CreateTable
CREATE TABLE "DefaultCreditSpecification" (
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "instanceFamily" TEXT NOT NULL,
    "cpuCredits" TEXT NOT NULL,

    PRIMARY KEY ("accountId", "region", "instanceFamily")
);
