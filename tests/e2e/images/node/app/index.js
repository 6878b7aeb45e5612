console.log("brig e2e");
